using GoalsDashboard.Domain;

namespace GoalsDashboard.Tests.Domain;

public class GoalTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static GoalDraft Revenue(string currency) => GoalRules.Normalize(new GoalDraft
    {
        Name = "Purchase", Type = GoalType.Revenue, Currency = currency,
        Groups = [new ConditionGroup([Condition.ForEvent("purchase_completed")])],
    });

    [Fact]
    public void Create_SetsAuditFieldsAndFirstVersion()
    {
        var goal = Goal.Create(Revenue("EUR"), "ann", Now);
        Assert.Equal(GoalStatus.Active, goal.Status);
        Assert.Equal(("ann", Now, "ann", Now), (goal.CreatedBy, goal.CreatedAt, goal.UpdatedBy, goal.UpdatedAt));
        Assert.Equal(1, goal.Version);
        Assert.Equal("PURCHASE", goal.NormalizedName);
        Assert.True(goal.IsEvaluating);
    }

    [Fact]
    public void Replace_CannotChangeTheCurrencyOfARevenueGoal()
    {
        var goal = Goal.Create(Revenue("EUR"), "ann", Now);
        var error = Assert.Throws<DomainValidationException>(() => goal.Replace(Revenue("USD"), "bob", Now));
        Assert.Contains("currency", error.Errors.Keys);
        Assert.Equal("EUR", goal.Currency);
    }

    [Fact]
    public void ArchiveAndRestore_BumpTheVersion()
    {
        var goal = Goal.Create(Revenue("EUR"), "ann", Now);
        goal.Archive("bob", Now.AddHours(1));
        Assert.Equal((GoalStatus.Archived, 2, "bob"), (goal.Status, goal.Version, goal.UpdatedBy));
        goal.Restore("cy", Now.AddHours(2));
        Assert.Equal((GoalStatus.Active, 3), (goal.Status, goal.Version));
    }

    [Fact]
    public void Sentence_DescribesGroupsWindowAndSites()
    {
        var sentence = GoalSentence.Describe(GoalType.Combined,
            [
                new ConditionGroup([Condition.ForEvent("webinar_attended")]),
                new ConditionGroup([Condition.ForProperty("lead_source", Operator.Equals, "webinar"), Condition.ForPageView("/pricing") with { Negate = true }]),
            ],
            new GoalWindow(21, WindowUnit.Days), ["www.example.com"]);
        Assert.Equal("Completed when they trigger \u201Cwebinar_attended\u201D, or when lead_source is \u201Cwebinar\u201D and they never visit /pricing, within 21 days of their first visit, on www.example.com.", sentence);
    }

    [Fact]
    public void Sentence_OfAConditionStillBeingWritten_SaysWhatIsMissing_NeverAnEmptyQuote()
    {
        string Sentence(Condition c) => GoalSentence.Describe(GoalType.Combined, [new ConditionGroup([c])], null, []);
        Assert.Equal("Completed when they trigger an event (not chosen yet).", Sentence(Condition.ForEvent("")));
        Assert.Equal("Completed when they visit a page (not chosen yet).", Sentence(Condition.ForPageView(" ")));
        Assert.Equal("Completed when a profile property (not chosen yet) matches.", Sentence(Condition.ForProperty("", Operator.Equals, "pro")));
        Assert.DoesNotContain("\u201C\u201D", Sentence(Condition.ForEvent("")));
    }
}
