using GoalsDashboard.Analytics;

namespace GoalsDashboard.Tests.Analytics;

public class BucketsTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Days_FollowLocalMidnight_SoTheDstDaysHave23And25Hours()
    {
        var spring = Buckets.For(new Period(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29), Berlin), TrendInterval.Day).Single();
        Assert.Equal(23 * 3_600_000, spring.EndMs - spring.StartMs);
        var autumn = Buckets.For(new Period(new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 25), Berlin), TrendInterval.Day).Single();
        Assert.Equal(25 * 3_600_000, autumn.EndMs - autumn.StartMs);
    }

    [Fact]
    public void Months_AreCalendarMonths_ClippedToThePeriod()
    {
        var months = Buckets.For(new Period(new DateOnly(2026, 1, 15), new DateOnly(2026, 3, 10), TimeZoneInfo.Utc), TrendInterval.Month);
        Assert.Equal([new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1)], months.Select(m => m.Date));
        Assert.Equal(DateTimeOffset.Parse("2026-03-11T00:00:00Z").ToUnixTimeMilliseconds(), months[^1].EndMs);
    }

    [Fact]
    public void IndexOf_FindsTheBucket_AndMinusOneOutside()
    {
        var days = Buckets.For(new Period(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3), TimeZoneInfo.Utc), TrendInterval.Day);
        Assert.Equal(1, Buckets.IndexOf(days, days[1].StartMs));
        Assert.Equal(0, Buckets.IndexOf(days, days[1].StartMs - 1));
        Assert.Equal(-1, Buckets.IndexOf(days, days[2].EndMs));
        Assert.Equal(-1, Buckets.IndexOf(days, days[0].StartMs - 1));
    }

    [Fact]
    public void PreviousPeriod_HasTheSameLength_AndEndsTheDayBefore()
    {
        var previous = new AnalyticsQuery(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)).Previous();
        Assert.Equal((new DateOnly(2026, 1, 29), new DateOnly(2026, 2, 28)), (previous.From, previous.To));
    }
}
