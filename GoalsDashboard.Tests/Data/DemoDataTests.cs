using GoalsDashboard.Data;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Tests.Data;

public class DemoDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly DemoDataSet Load = new DemoData(Now).Generate();

    [Fact]
    public void Generates_AWorkspaceOfTheAgreedSize()
    {
        Assert.Equal(5000, Load.Profiles.Count);
        Assert.InRange(Load.Events.Count, 120_000, 180_000);
        Assert.Equal(2, Load.Events.Select(e => e.Site).Distinct().Count());
        Assert.Equal(6, Load.Events.Select(e => e.Channel).Distinct().Count());
        Assert.Equal(5, Load.Events.Where(e => e.Campaign is not null).Select(e => e.Campaign).Distinct().Count());
        Assert.All(Load.Events, e => Assert.InRange(e.Timestamp, Now.AddDays(-91), Now));
    }

    [Fact]
    public void Journey_DropsOffAtEveryStep()
    {
        int Profiles(string name) => Load.Events.Where(e => e.Name == name).Select(e => e.ProfileId).Distinct().Count();
        var signups = Profiles("signup_completed");
        var trials = Profiles("trial_started");
        var activations = Profiles("project_created");
        var purchases = Profiles("purchase_completed");
        Assert.True(5000 > signups && signups > trials && trials > activations && activations > purchases && purchases > 50,
            $"signup {signups}, trial {trials}, activation {activations}, purchase {purchases}");
        Assert.All(Load.Events.Where(e => e.Name == "purchase_completed"), e => Assert.Equal("EUR", e.RevenueCurrency));
    }

    [Fact]
    public void Weekdays_DrawMoreTrafficThanWeekends()
    {
        var firstVisits = Load.Profiles.Select(p => p.FirstSeenAt!.Value.DayOfWeek).ToList();
        var weekdayAverage = firstVisits.Count(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) / 5.0;
        var weekendAverage = firstVisits.Count(d => d is DayOfWeek.Saturday or DayOfWeek.Sunday) / 2.0;
        Assert.True(weekdayAverage > weekendAverage * 1.5, $"weekday {weekdayAverage}, weekend {weekendAverage}");
    }

    [Fact]
    public void PropertyHistories_CoverPlanLeadSourceAndCountry()
    {
        var keys = Load.PropertyChanges.Select(c => c.Key).ToHashSet();
        Assert.Equal(["country", "lead_source", "plan"], keys.Order());
        // A buyer's plan went free → trial → pro/business: the history keeps every step.
        Assert.Contains(Load.PropertyChanges.GroupBy(c => (c.ProfileId, c.Key)), g => g.Count() >= 3);
    }

    [Fact]
    public void Goals_AreValidAndOfDifferentTypes()
    {
        var goals = DemoData.Goals().Select(GoalRules.Normalize).ToList();
        Assert.InRange(goals.Count, 6, 8);
        Assert.True(goals.Select(g => g.Type).Distinct().Count() >= 4);
        Assert.Equal(goals.Count, goals.Select(g => g.Name).Distinct().Count());
    }

    [Fact]
    public void Generation_IsDeterministic()
    {
        var again = new DemoData(Now).Generate();
        Assert.Equal(Load.Events.Count, again.Events.Count);
        Assert.Equal(Load.Events[^1].EventId, again.Events[^1].EventId);
    }
}
