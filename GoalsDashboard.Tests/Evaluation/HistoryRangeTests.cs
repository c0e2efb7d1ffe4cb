using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>
/// Reads of all history: in id ranges, one per core, together exactly the whole; and the backfill's read,
/// reduced to the events a goal can use, evaluating exactly as the whole histories do.
/// </summary>
public class HistoryRangeTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(10, 3)]
    [InlineData(100_000, 4)]
    public void Split_CoversEveryIdOnce_AndLeavesNoEnd(long maxId, int parts)
    {
        var ranges = ProfileRange.Split(maxId, parts);
        Assert.Equal(parts, ranges.Count);
        Assert.Equal(long.MinValue, ranges[0].From);
        Assert.Equal(long.MaxValue, ranges[^1].To);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
    }

    [Fact]
    public async Task RangesTogether_ReadTheSameHistoriesAsOneRead()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 40)
            .Select(i => new IncomingEvent($"r{i}", $"range-p{i % 13}", i % 2 == 0 ? "signup" : "purchase", t0.AddMinutes(i), null, null, null, null, null, null, null))
            .ToList();
        await store.IngestEventsAsync(events, t0.AddDays(1));
        // A profile known only by its properties comes from the property changes, not the events.
        await store.SetPropertiesAsync([new ProfilePropertyChanges("range-properties-only", [new IncomingPropertyChange("plan", PropertyValue.String("pro"))], t0)]);

        var whole = new List<(long, int, int)>();
        await foreach (var stored in store.ReadHistoriesAsync(null, withEventProperties: false))
        {
            whole.Add((stored.History.ProfileId, stored.History.Events.Count, stored.History.Changes.Count));
        }
        var parts = new List<(long, int, int)>();
        foreach (var range in ProfileRange.Split(await store.MaxProfileIdAsync(), 3))
        {
            await foreach (var stored in store.ReadHistoriesAsync(range, withEventProperties: false))
            {
                Assert.InRange(stored.History.ProfileId, range.From, range.To - 1);
                parts.Add((stored.History.ProfileId, stored.History.Events.Count, stored.History.Changes.Count));
            }
        }

        Assert.Equal(14, whole.Count);
        Assert.Equal(whole.Order(), parts.Order());
        Assert.Contains(whole, h => h.Item2 == 0 && h.Item3 == 1);
    }

    [Fact]
    public async Task BackfillRead_EvaluatesAsTheWholeHistories_ForRandomGoals()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var random = new Random(7);
        await StoreSharedInstantsAsync(store, random);
        var whole = new Dictionary<long, ProfileHistory>();
        await foreach (var stored in store.ReadHistoriesAsync(null, withEventProperties: true))
        {
            whole[stored.History.ProfileId] = stored.History;
        }
        var (compared, dropped) = (0, 0);
        for (var g = 0; g < 60; g++)
        {
            var goal = new GoalSpec(Goal.Create(GoalRules.Normalize(LiveEqualsRecomputationPropertyTests.RandomGoal(random, $"g{g}")), "test", T0));
            var needs = EventNeeds.For([goal]);
            var read = new List<ProfileHistory>();
            foreach (var share in await store.ReadAllHistoriesAsync([goal.Id], needs, parts: 3))
            {
                read.AddRange(share.Select(s => s.History));
            }
            Assert.Equal(whole.Keys.Order(), read.Select(h => h.ProfileId));
            foreach (var reduced in read)
            {
                var expected = GoalEvaluator.Evaluate(goal, whole[reduced.ProfileId]);
                var actual = GoalEvaluator.Evaluate(goal, reduced);
                Assert.True(expected.Completion == actual.Completion, $"goal {g}, profile {reduced.ProfileId}: completion {expected.Completion} became {actual.Completion}");
                Assert.True(expected.Conversions.SequenceEqual(actual.Conversions), $"goal {g}, profile {reduced.ProfileId}: conversions differ");
                // Never more than the reduction the rules define.
                Assert.Equal(needs.Reduce(whole[reduced.ProfileId]).Events.Select(e => e.Id), reduced.Events.Select(e => e.Id));
                compared++;
                dropped += whole[reduced.ProfileId].Events.Count - reduced.Events.Count;
            }
        }
        Assert.True(compared > 1000 && dropped > 1000, $"{compared} histories compared, {dropped} events dropped");
    }

    [Fact]
    public async Task Backfill_StoresWhatTheWholeHistoriesEvaluateTo_ForRandomGoals()
    {
        await using var factory = new GoalsAppFactory(settings: new Dictionary<string, string> { ["Goals:MaxActive"] = "1000" });
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var goals = factory.Services.GetRequiredService<GoalService>();
        var evaluation = factory.Services.GetRequiredService<EvaluationService>();
        var random = new Random(11);
        await StoreSharedInstantsAsync(store, random);
        var whole = new List<ProfileHistory>();
        await foreach (var stored in store.ReadHistoriesAsync(null, withEventProperties: true))
        {
            whole.Add(stored.History);
        }

        var completions = 0;
        for (var g = 0; g < 25; g++)
        {
            var goal = await goals.CreateAsync(LiveEqualsRecomputationPropertyTests.RandomGoal(random, $"backfilled {g}"), "test");
            await evaluation.BackfillAsync(goal.Id);
            var (storedCompletions, storedConversions) = await factory.QueryAsync(async db => (
                await db.Completions.AsNoTracking().Where(c => c.GoalId == goal.Id).ToDictionaryAsync(c => c.ProfileId),
                await db.Conversions.AsNoTracking().Where(c => c.GoalId == goal.Id).ToListAsync()));
            foreach (var history in whole)
            {
                var expected = GoalEvaluator.Evaluate(goal, history);
                var completion = storedCompletions.GetValueOrDefault(history.ProfileId);
                var context = $"goal {g}, profile {history.ProfileId}";
                Assert.True(expected.Completion?.CompletedAt == completion?.CompletedAt, $"completion time differs: {context}");
                Assert.True(expected.Completion?.TriggerEventId == completion?.TriggerEventId, $"trigger differs: {context}");
                Assert.True(expected.Completion?.Channel == completion?.Channel && expected.Completion?.Site == completion?.Site, $"channel or site differs: {context}");
                Assert.True(expected.Completion?.Value == completion?.Value, $"value differs: {context}");
                Assert.Equal(expected.Conversions.Select(c => (c.Timestamp, c.Source, c.EventId, c.Value)).Order(),
                    storedConversions.Where(c => c.ProfileId == history.ProfileId).Select(c => (c.Timestamp, c.Source, c.EventId, c.Value)).Order());
                completions += expected.Completion is null ? 0 : 1;
            }
            await goals.SetStatusAsync(goal.Id, GoalStatus.Archived, "test");
        }
        Assert.True(completions > 100, $"only {completions} completions");
    }

    /// <summary>600 events and 30 property changes of about 40 profiles, on six instants, so that they share them often.</summary>
    private static async Task StoreSharedInstantsAsync(IEventStore store, Random random)
    {
        var instants = Enumerable.Range(0, 6).Select(i => T0.AddMinutes(i * 97)).ToArray();
        string[] names = ["signup", "trial", "purchase", "refund", TrackedEvent.PageViewName, TrackedEvent.PageViewName];
        string[] paths = ["/pricing", "/blog/a", "/blog/b/c", "/docs/x", "/pricing?utm=x", "/"];
        var events = Enumerable.Range(0, 600).Select(i =>
        {
            var name = names[random.Next(names.Length)];
            return new IncomingEvent($"b{i}", $"backfill-p{random.Next(40)}", name, instants[random.Next(instants.Length)], random.Next(2) == 0 ? "shop" : "blog",
                name == TrackedEvent.PageViewName ? paths[random.Next(paths.Length)] : null, $"channel-{random.Next(3)}", null,
                random.Next(2) == 0 ? $$"""{"amount":{{random.Next(100)}}}""" : null, name == "purchase" ? random.Next(1, 100) : null, name == "purchase" ? "EUR" : null);
        }).ToList();
        foreach (var batch in events.Chunk(50))
        {
            await store.IngestEventsAsync(batch, T0.AddDays(1));
        }
        await store.SetPropertiesAsync(Enumerable.Range(0, 30).Select(i => new ProfilePropertyChanges($"backfill-p{random.Next(45)}",
            [new IncomingPropertyChange("plan", PropertyValue.String(random.Next(2) == 0 ? "pro" : "free"))], instants[random.Next(instants.Length)])).ToList());
    }

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
}
