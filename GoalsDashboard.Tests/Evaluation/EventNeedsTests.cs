using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>
/// A backfill reads only the events its goal can use (<see cref="EventNeeds"/>). Whatever the goal and the
/// history, evaluating the reduced history must give exactly what the whole history gives: completion
/// time, trigger, channel, site, value and every conversion. Histories here put many events and property
/// changes on the same few instants, where the choice of the first event at an instant matters.
/// </summary>
public class EventNeedsTests
{
    private static readonly string[] Names = ["signup", "trial", "purchase", "refund", TrackedEvent.PageViewName, TrackedEvent.PageViewName, "other"];
    private static readonly string[] Paths = ["/pricing", "/blog/a", "/blog/b/c", "/docs/x", "/"];

    [Fact]
    public void ReducedHistory_EvaluatesAsTheWholeHistory_ForRandomGoalsAndHistories()
    {
        var (cases, dropped, completions, fromInstant) = (0, 0, 0, 0);
        for (var seed = 1; seed <= 3000; seed++)
        {
            var random = new Random(seed);
            var goals = Enumerable.Range(0, 1 + random.Next(2)).Select(g => Spec(LiveEqualsRecomputationPropertyTests.RandomGoal(random, $"g{g}"))).ToList();
            var history = RandomHistory(random);
            var reduced = EventNeeds.For(goals).Reduce(history);
            dropped += history.Events.Count - reduced.Events.Count;
            foreach (var goal in goals)
            {
                var expected = GoalEvaluator.Evaluate(goal, history);
                var actual = GoalEvaluator.Evaluate(goal, reduced);
                Assert.True(expected.Completion == actual.Completion, $"seed {seed}: completion {expected.Completion} became {actual.Completion}");
                Assert.True(expected.Conversions.SequenceEqual(actual.Conversions), $"seed {seed}: conversions differ");
                cases++;
                completions += expected.Completion is null ? 0 : 1;
                fromInstant += expected.Completion is { } c && !expected.Conversions.Any(x => x.Source == ConversionSource.Event && x.Timestamp == c.CompletedAt) ? 1 : 0;
            }
        }
        // Guard against a vacuous pass: events were dropped, goals completed, and often at an instant no matching event supplies.
        Assert.True(dropped > 5_000, $"only {dropped} events dropped");
        Assert.True(completions > cases / 5, $"only {completions} completions in {cases} cases");
        Assert.True(fromInstant > 200, $"only {fromInstant} completions at a property change or a window's start");
    }

    [Fact]
    public void Needs_NameTheGoalsEventsPathsAndAnchors()
    {
        var needs = EventNeeds.For([
            Spec(new GoalDraft
            {
                Name = "a", Type = GoalType.Combined,
                Groups = [new ConditionGroup([Condition.ForEvent("signup"), Condition.ForPageView("/blog/*") with { Negate = true }])],
                Window = new GoalWindow(2, WindowUnit.Days, WindowAnchor.Event, "trial"),
            }),
        ]);
        Assert.True(needs.UsesName("signup"u8));
        Assert.True(needs.UsesName("trial"u8));
        Assert.False(needs.UsesName("purchase"u8));
        Assert.False(needs.UsesName("pageview"u8));
        Assert.True(needs.UsesPageViews);
        Assert.True(needs.UsesPageView("/blog/a?x=1"));
        Assert.False(needs.UsesPageView("/pricing"));
        Assert.False(needs.WithProperties);
    }

    private static GoalSpec Spec(GoalDraft draft) => new(Goal.Create(GoalRules.Normalize(draft), "test", EvaluationTestData.T0));

    private static ProfileHistory RandomHistory(Random random)
    {
        // Few instants, so that events and changes share them often.
        var instants = Enumerable.Range(0, 2 + random.Next(8)).Select(_ => EvaluationTestData.At(random.Next(0, 60 * 24 * 3))).ToArray();
        DateTimeOffset When() => instants[random.Next(instants.Length)];
        var ids = Enumerable.Range(1, 16).OrderBy(_ => random.Next()).ToArray();
        var events = Enumerable.Range(0, random.Next(16)).Select(i =>
        {
            var name = Names[random.Next(Names.Length)];
            var path = name == TrackedEvent.PageViewName ? Paths[random.Next(Paths.Length)] + (random.Next(4) == 0 ? "?q=1" : "") : null;
            var properties = random.Next(2) == 0 ? EventProperties.Parse($$"""{"amount":{{random.Next(100)}}}""") : null;
            return new EventFact(ids[i], name, When(), random.Next(5) == 0 ? null : (random.Next(2) == 0 ? "shop" : "blog"), path,
                $"channel-{random.Next(4)}", properties, name == "purchase" ? random.Next(1, 100) : null, name == "purchase" ? "EUR" : null);
        }).ToList();
        var changes = Enumerable.Range(0, random.Next(4))
            .Select(i => new PropertyFact("plan", PropertyValue.String(random.Next(2) == 0 ? "pro" : "free"), When(), i)).ToList();
        return new ProfileHistory(1, events, changes);
    }
}
