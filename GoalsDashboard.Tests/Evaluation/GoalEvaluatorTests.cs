using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using static GoalsDashboard.Tests.Evaluation.EvaluationTestData;

namespace GoalsDashboard.Tests.Evaluation;

public class GoalEvaluatorTests
{
    private static readonly Goal Signup = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("signup"))]);

    [Fact]
    public void EventCondition_CompletesAtTheFirstMatchingEvent_AndEveryMatchIsAConversion()
    {
        var first = Ev("signup", 10);
        var result = GoalEvaluator.Evaluate(Signup, History(Ev("view", 5), first, Ev("signup", 20)));
        Assert.Equal(At(10), result.Completion!.CompletedAt);
        Assert.Equal(first.Id, result.Completion.TriggerEventId);
        Assert.Equal([At(10), At(20)], result.Conversions.Select(c => c.Timestamp));
        Assert.All(result.Conversions, c => Assert.Equal(ConversionSource.Event, c.Source));
    }

    [Fact]
    public void NoMatchingEvent_NoCompletion()
    {
        var result = GoalEvaluator.Evaluate(Signup, History(Ev("login", 5)));
        Assert.Null(result.Completion);
        Assert.Empty(result.Conversions);
    }

    [Fact]
    public void EventNames_AreCaseSensitive()
    {
        Assert.Null(GoalEvaluator.Evaluate(Signup, History(Ev("Signup", 5))).Completion);
    }

    [Fact]
    public void AndGroup_CompletesWhenTheLastConditionBecomesTrue()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForPageView("/pricing"))]);
        var result = GoalEvaluator.Evaluate(goal, History(Ev("signup", 10), View("/pricing", 30), View("/pricing", 40)));
        Assert.Equal(At(30), result.Completion!.CompletedAt);
        // signup at 10 is not a conversion (the group did not hold yet); both pricing views after it are.
        Assert.Equal([At(30), At(40)], result.Conversions.Select(c => c.Timestamp));
    }

    [Fact]
    public void OrGroups_CompleteAtTheEarliestGroup_AndAnEventCountsOnceAcrossGroups()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("demo")), Group(Condition.ForEvent("demo"), Condition.ForEvent("call"))]);
        var result = GoalEvaluator.Evaluate(goal, History(Ev("call", 1), Ev("demo", 5)));
        Assert.Equal(At(5), result.Completion!.CompletedAt);
        Assert.Single(result.Conversions);
    }

    [Fact]
    public void NegatedEventCondition_HoldsOnlyBeforeTheFirstSuchEvent()
    {
        // "signed up without having seen /pricing"
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForPageView("/pricing") with { Negate = true })]);
        Assert.Equal(At(10), GoalEvaluator.Evaluate(goal, History(Ev("signup", 10), View("/pricing", 20))).Completion!.CompletedAt);
        Assert.Null(GoalEvaluator.Evaluate(goal, History(View("/pricing", 5), Ev("signup", 10))).Completion);
    }

    [Fact]
    public void LateEventMatchingANegatedCondition_RemovesTheCompletion()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForEvent("refund") with { Negate = true })]);
        var before = GoalEvaluator.Evaluate(goal, History(Ev("signup", 10)));
        var after = GoalEvaluator.Evaluate(goal, History(Ev("signup", 10), Ev("refund", 2)));
        Assert.NotNull(before.Completion);
        Assert.Null(after.Completion);
    }

    [Fact]
    public void LateEarlierEvent_MovesTheCompletionEarlier()
    {
        var later = GoalEvaluator.Evaluate(Signup, History(Ev("signup", 50)));
        var withLate = GoalEvaluator.Evaluate(Signup, History(Ev("signup", 50), Ev("signup", 5)));
        Assert.Equal(At(50), later.Completion!.CompletedAt);
        Assert.Equal(At(5), withLate.Completion!.CompletedAt);
    }

    [Fact]
    public void PropertyCondition_UsesTheValueAsOfT_AndAPropertyTriggeredCompletionIsAConversion()
    {
        var goal = MakeGoal(GoalType.Property, [Group(Condition.ForProperty("plan", Operator.Equals, "pro"))], defaultValue: 7);
        var first = Ev("view", 1, channel: "social", site: "www");
        var result = GoalEvaluator.Evaluate(goal, History(first, Prop("plan", "free", 2), Prop("plan", "pro", 30), Ev("view", 40)));
        Assert.Equal(At(30), result.Completion!.CompletedAt);
        Assert.Null(result.Completion.TriggerEventId);
        // Triggered by a property change: channel and site of the profile's first event.
        Assert.Equal(("social", "www", 7m), (result.Completion.Channel, result.Completion.Site, result.Completion.Value));
        var conversion = Assert.Single(result.Conversions);
        Assert.Equal((ConversionSource.Completion, At(30), 7m), (conversion.Source, conversion.Timestamp, conversion.Value));
    }

    [Fact]
    public void PropertyCondition_ThatStopsHolding_KeepsTheFirstCompletion()
    {
        var goal = MakeGoal(GoalType.Property, [Group(Condition.ForProperty("plan", Operator.Equals, "pro"))]);
        var result = GoalEvaluator.Evaluate(goal, History(Prop("plan", "pro", 10), Prop("plan", "free", 20)));
        Assert.Equal(At(10), result.Completion!.CompletedAt);
    }

    [Fact]
    public void NeverSetProperty_SatisfiesOnlyNotExists()
    {
        var notEquals = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForProperty("plan", Operator.NotEquals, "pro"))]);
        var notExists = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForProperty("plan", Operator.NotExists, null))]);
        var negatedEquals = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForProperty("plan", Operator.Equals, "pro") with { Negate = true })]);
        var history = History(Ev("signup", 1));
        Assert.Null(GoalEvaluator.Evaluate(notEquals, history).Completion);
        Assert.NotNull(GoalEvaluator.Evaluate(notExists, history).Completion);
        Assert.NotNull(GoalEvaluator.Evaluate(negatedEquals, history).Completion);
    }

    [Fact]
    public void PropertySetAtTheSameInstantAsTheEvent_Counts()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("purchase"), Condition.ForProperty("plan", Operator.Equals, "pro"))]);
        var purchase = Ev("purchase", 10);
        var result = GoalEvaluator.Evaluate(goal, History(purchase, Prop("plan", "pro", 10)));
        Assert.Equal(purchase.Id, result.Completion!.TriggerEventId);
        Assert.Single(result.Conversions);
    }

    [Fact]
    public void Window_FromFirstVisit_IsInclusive_AndIgnoresEventsOutsideIt()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("signup"))], new GoalWindow(1, WindowUnit.Hours));
        Assert.Equal(At(60), GoalEvaluator.Evaluate(goal, History(Ev("view", 0), Ev("signup", 60))).Completion!.CompletedAt);
        Assert.Null(GoalEvaluator.Evaluate(goal, History(Ev("view", 0), Ev("signup", 60.02))).Completion);
    }

    [Fact]
    public void Window_IgnoresNegatedEventsOutsideIt()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForEvent("unsubscribe") with { Negate = true })],
            new GoalWindow(1, WindowUnit.Days, WindowAnchor.Event, "webinar"));
        // The unsubscribe before the anchor is outside the window, so it does not block.
        var result = GoalEvaluator.Evaluate(goal, History(Ev("unsubscribe", 0), Ev("webinar", 100), Ev("signup", 200)));
        Assert.Equal(At(200), result.Completion!.CompletedAt);
    }

    [Fact]
    public void Window_AnchoredOnAnEvent_WithoutThatEvent_NeverCompletes()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("purchase"))], new GoalWindow(7, WindowUnit.Days, WindowAnchor.Event, "signup"));
        Assert.Null(GoalEvaluator.Evaluate(goal, History(Ev("purchase", 5))).Completion);
        Assert.NotNull(GoalEvaluator.Evaluate(goal, History(Ev("signup", 1), Ev("purchase", 5))).Completion);
    }

    [Fact]
    public void AnchorEvent_IgnoresAllowedSites()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("purchase"))], new GoalWindow(7, WindowUnit.Days, WindowAnchor.Event, "signup"), sites: ["shop"]);
        Assert.NotNull(GoalEvaluator.Evaluate(goal, History(Ev("signup", 1, site: "blog"), Ev("purchase", 5, site: "shop"))).Completion);
    }

    [Fact]
    public void AllowedSites_ApplyToConditionsAndConversions_AndAnEventWithoutSiteIsOutside()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("signup"))], sites: ["shop"]);
        var result = GoalEvaluator.Evaluate(goal, History(Ev("signup", 1, site: "blog"), Ev("signup", 2, site: null), Ev("signup", 3, site: "shop")));
        Assert.Equal(At(3), result.Completion!.CompletedAt);
        Assert.Single(result.Conversions);
    }

    [Fact]
    public void AllowedSites_ApplyToNegatedConditions()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForEvent("signup"), Condition.ForEvent("refund") with { Negate = true })], sites: ["shop"]);
        Assert.NotNull(GoalEvaluator.Evaluate(goal, History(Ev("refund", 1, site: "blog"), Ev("signup", 2, site: "shop"))).Completion);
    }

    [Fact]
    public void RevenueGoal_ValuesConversionsInItsCurrency_ElseDefaultValue()
    {
        var goal = MakeGoal(GoalType.Revenue, [Group(Condition.ForEvent("purchase"))], currency: "EUR", defaultValue: 1);
        var result = GoalEvaluator.Evaluate(goal, History(
            Ev("purchase", 1, revenue: 70, currency: "EUR"),
            Ev("purchase", 2, revenue: 50, currency: "USD"),
            Ev("purchase", 3)));
        Assert.Equal([70m, 1m, 1m], result.Conversions.Select(c => c.Value));
        Assert.Equal(70m, result.Completion!.Value);
    }

    [Fact]
    public void NonRevenueGoal_WithoutDefaultValue_HasNoValue()
    {
        var result = GoalEvaluator.Evaluate(Signup, History(Ev("signup", 1, revenue: 5, currency: "EUR")));
        Assert.Null(result.Completion!.Value);
    }

    [Fact]
    public void PageView_MatchesPathPatterns_AfterDroppingTheQuery()
    {
        var goal = MakeGoal(GoalType.PageView, [Group(Condition.ForPageView("/blog/*"))]);
        Assert.NotNull(GoalEvaluator.Evaluate(goal, History(View("/blog/post-1?utm=x", 1))).Completion);
        Assert.Null(GoalEvaluator.Evaluate(goal, History(View("/blog/a/b", 1))).Completion);
        // A custom event with a path is not a page view.
        Assert.Null(GoalEvaluator.Evaluate(goal, History(Ev("click", 1, path: "/blog/x"))).Completion);
    }

    [Fact]
    public void EventFilters_AreAndedWithTheName()
    {
        var props = new Dictionary<string, PropertyValue> { ["order_value"] = PropertyValue.Number(70), ["coupon"] = PropertyValue.String("SPRING") };
        var big = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("purchase",
            new PropertyFilter("order_value", Operator.GreaterThan, "50"), new PropertyFilter("coupon", Operator.Contains, "spr")))]);
        var huge = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("purchase", new PropertyFilter("order_value", Operator.GreaterThan, "100")))]);
        var history = History(Ev("purchase", 1, props: props));
        Assert.NotNull(GoalEvaluator.Evaluate(big, history).Completion);
        Assert.Null(GoalEvaluator.Evaluate(huge, history).Completion);
    }

    [Fact]
    public void Trigger_IsTheMatchingEvent_NotAnEarlierStoredEventAtTheSameInstant()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("signup"))]);
        var view = Ev("view", 5, channel: "social", id: 100);
        var signup = Ev("signup", 5, channel: "email", id: 101);
        var completion = GoalEvaluator.Evaluate(goal, History(view, signup)).Completion!;
        Assert.Equal((101L, "email"), (completion.TriggerEventId!.Value, completion.Channel));
    }

    [Fact]
    public void GoalWithOnlyNegatedConditions_CompletesAtTheFirstEvent_AsOneConversion()
    {
        var goal = MakeGoal(GoalType.CustomEvent, [Group(Condition.ForEvent("refund") with { Negate = true })]);
        var first = Ev("view", 3, id: 500);
        var result = GoalEvaluator.Evaluate(goal, History(first, Ev("view", 9)));
        Assert.Equal((At(3), 500L), (result.Completion!.CompletedAt, result.Completion.TriggerEventId!.Value));
        Assert.Equal(ConversionSource.Completion, Assert.Single(result.Conversions).Source);
    }

    [Fact]
    public void RecordedConversion_CountsAndCompletesEarlierThanConditions()
    {
        var goal = MakeGoal(GoalType.Property, [Group(Condition.ForProperty("plan", Operator.Equals, "pro"))], defaultValue: 3);
        var recorded = new[] { new RecordedConversion(At(5), ConversionSource.Api, 40m, null, null, null) };
        var result = GoalEvaluator.Evaluate(goal, History(Prop("plan", "pro", 30)), recorded);
        Assert.Equal((At(5), 40m), (result.Completion!.CompletedAt, result.Completion.Value));
        // The property-triggered completion at 30 is no longer the completion, so it is no conversion either.
        Assert.Equal(ConversionSource.Api, Assert.Single(result.Conversions).Source);
    }

    [Fact]
    public void TrackedGoal_CompletesOnItsFirstRecordedConversion()
    {
        var goal = Goal.Create(GoalRules.Normalize(new GoalDraft { Name = "Demo booked", Type = GoalType.Tracked, DefaultValue = 100 }), "t", T0);
        var recorded = new[]
        {
            new RecordedConversion(At(50), ConversionSource.Api, null, null, null, null),
            new RecordedConversion(At(20), ConversionSource.Api, null, null, null, null),
        };
        var result = GoalEvaluator.Evaluate(goal, History(Ev("view", 1)), recorded);
        Assert.Equal((At(20), 100m), (result.Completion!.CompletedAt, result.Completion.Value));
        Assert.Equal(2, result.Conversions.Count);
    }

    [Fact]
    public void ConversionsAreNeverFewerThanCompletions()
    {
        var goal = MakeGoal(GoalType.Combined, [Group(Condition.ForProperty("plan", Operator.Equals, "pro")), Group(Condition.ForEvent("signup"))]);
        var result = GoalEvaluator.Evaluate(goal, History(Prop("plan", "pro", 1), Ev("signup", 5)));
        Assert.Equal(At(1), result.Completion!.CompletedAt);
        Assert.Equal(2, result.Conversions.Count);
    }
}
