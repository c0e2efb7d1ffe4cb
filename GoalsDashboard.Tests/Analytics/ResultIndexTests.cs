using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.Evaluation;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>
/// The goals' results held in memory must read exactly as the database does, whatever was committed
/// while they were held: live evaluation of late and out-of-order data, backfills of edited goals,
/// recorded conversions and offline matches, earlier events moving a profile's first-seen time.
/// </summary>
public class ResultIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HeldResults_EqualTheStoredOnes_ThroughLiveEvaluationBackfillsAndRecordedConversions()
    {
        await using var factory = new GoalsAppFactory(settings: new Dictionary<string, string> { ["Goals:MaxActive"] = "1000" });
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var evaluation = factory.Services.GetRequiredService<EvaluationService>();
        var goals = factory.Services.GetRequiredService<GoalService>();
        var ingestion = factory.Services.GetRequiredService<IngestionService>();
        var index = factory.Services.GetRequiredService<ResultIndex>();
        var stored = factory.Services.GetRequiredService<IAnalyticsStore>();

        var compared = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var random = new Random(seed);
            var caseGoals = new List<Goal>();
            for (var g = 0; g < 1 + random.Next(3); g++)
            {
                var goal = await goals.CreateAsync(LiveEqualsRecomputationPropertyTests.RandomGoal(random, $"case {seed} goal {g}"), "test");
                await evaluation.BackfillAsync(goal.Id);
                caseGoals.Add(goal);
            }
            var profiles = Enumerable.Range(0, 1 + random.Next(4)).Select(p => $"r{seed}-p{p}").ToArray();
            if (random.Next(2) == 0)
            {
                // Read before any data arrives (nothing to hold yet: read again from the store later).
                foreach (var goal in caseGoals)
                {
                    await index.ReadAsync(goal.Id, long.MinValue, long.MaxValue, null, null, true);
                }
            }
            foreach (var batch in LiveEqualsRecomputationPropertyTests.RandomStream(random, seed, profiles).Chunk(1 + random.Next(4)))
            {
                if (batch.OfType<IncomingEvent>().ToList() is { Count: > 0 } events)
                {
                    await store.IngestEventsAsync(events, T0.AddDays(30));
                }
                foreach (var change in batch.OfType<ProfilePropertyChanges>())
                {
                    await store.SetPropertiesAsync([change]);
                }
                var goal = caseGoals[random.Next(caseGoals.Count)];
                switch (random.Next(8))
                {
                    case 0:
                        await ingestion.RecordConversionAsync(goal.Name, profiles[random.Next(profiles.Length)], T0.AddHours(random.Next(96)), random.Next(2) == 0 ? 12.5m : null, "test");
                        break;
                    case 1:
                        await ingestion.MatchAsync(goal.Id, profiles[random.Next(profiles.Length)], T0.AddDays(5), 40m, []);
                        break;
                    case 2:
                        try
                        {
                            await goals.ReplaceAsync(goal.Id, LiveEqualsRecomputationPropertyTests.RandomGoal(random, goal.Name), null, "test");
                            await evaluation.BackfillAsync(goal.Id);
                        }
                        catch (DomainValidationException)
                        {
                            // A revenue goal's currency stays: that edit is refused, and the goal is left as it was.
                        }
                        break;
                }
                var ids = await factory.QueryAsync(db => db.Profiles.Where(p => profiles.Contains(p.ExternalId)).Select(p => p.Id).ToListAsync());
                await evaluation.EvaluateProfilesAsync(ids);
                if (random.Next(3) == 0)
                {
                    await index.ReadAsync(caseGoals[random.Next(caseGoals.Count)].Id, long.MinValue, long.MaxValue, null, null, true);
                }
            }
            foreach (var goal in caseGoals)
            {
                compared += await AssertSameAsync(index, stored, goal.Id);
                await goals.SetStatusAsync(goal.Id, GoalStatus.Archived, "test");
            }
        }
        Assert.True(compared > 300, $"only {compared} rows compared");
    }

    [Fact]
    public async Task ManyChangesAtOnce_AreMergedIntoTheHeldRows_AndStillReadAsStored()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var evaluation = factory.Services.GetRequiredService<EvaluationService>();
        var index = factory.Services.GetRequiredService<ResultIndex>();
        var stored = factory.Services.GetRequiredService<IAnalyticsStore>();
        var goal = await factory.Services.GetRequiredService<GoalService>().CreateAsync(new GoalDraft
        {
            Name = "Signed up", Type = GoalType.Combined, Groups = [new ConditionGroup([Condition.ForEvent("signup")])], DefaultValue = 3,
        }, "test");
        await evaluation.BackfillAsync(goal.Id);
        IncomingEvent Signup(int p, int minutes) =>
            new(null, $"m-{p}", "signup", T0.AddMinutes(minutes), p % 3 == 0 ? "shop" : "blog", null, p % 2 == 0 ? "email" : "ads", null, null, null, null);
        await store.IngestEventsAsync([Signup(5000, 0)], T0.AddDays(30));
        await evaluation.EvaluateProfilesAsync(await factory.QueryAsync(db => db.Profiles.Select(p => p.Id).ToListAsync()));
        Assert.Single((await index.ReadAsync(goal.Id, long.MinValue, long.MaxValue, null, null, true))!.Value.Completions); // now held

        // 1,500 profiles change at once: more than the held rows take as overrides, so they are merged in.
        await store.IngestEventsAsync(Enumerable.Range(0, 1000).Select(p => Signup(p, p)).ToList(), T0.AddDays(30));
        await store.IngestEventsAsync(Enumerable.Range(1000, 500).Select(p => Signup(p, p)).ToList(), T0.AddDays(30));
        await evaluation.EvaluateProfilesAsync(await factory.QueryAsync(db => db.Profiles.Select(p => p.Id).ToListAsync()));
        Assert.Equal(1501, (await index.ReadAsync(goal.Id, long.MinValue, long.MaxValue, null, null, true))!.Value.Completions.Count);
        await AssertSameAsync(index, stored, goal.Id);

        // Then late, earlier signups for some of them: the merged rows are overridden again.
        await store.IngestEventsAsync(Enumerable.Range(0, 40).Select(p => Signup(p * 7, -p)).ToList(), T0.AddDays(30));
        await evaluation.EvaluateProfilesAsync(await factory.QueryAsync(db => db.Profiles.Select(p => p.Id).ToListAsync()));
        await AssertSameAsync(index, stored, goal.Id);
    }

    [Fact]
    public async Task AnEarlierEventOfAnotherKind_MovesTheTimeToConvert_OfAHeldCompletion()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var evaluation = factory.Services.GetRequiredService<EvaluationService>();
        var index = factory.Services.GetRequiredService<ResultIndex>();
        var goal = await factory.Services.GetRequiredService<GoalService>().CreateAsync(new GoalDraft
        {
            Name = "Bought", Type = GoalType.Combined, Groups = [new ConditionGroup([Condition.ForEvent("purchase")])],
        }, "test");
        await evaluation.BackfillAsync(goal.Id);
        IncomingEvent Event(string name, int hours) => new(null, "fs-1", name, T0.AddHours(hours), null, null, null, null, null, null, null);
        await store.IngestEventsAsync([Event("purchase", 10)], T0.AddDays(30));
        await evaluation.EvaluateProfilesAsync(await factory.QueryAsync(db => db.Profiles.Select(p => p.Id).ToListAsync()));
        var held = (await index.ReadAsync(goal.Id, long.MinValue, long.MaxValue, null, null, false))!.Value.Completions.Single();
        Assert.Equal(held.At, held.FirstSeenAt);

        // A page view two hours earlier changes no result of the goal, only when the profile was first seen.
        await store.IngestEventsAsync([Event(TrackedEvent.PageViewName, 8)], T0.AddDays(30));
        await evaluation.EvaluateProfilesAsync(await factory.QueryAsync(db => db.Profiles.Select(p => p.Id).ToListAsync()));
        held = (await index.ReadAsync(goal.Id, long.MinValue, long.MaxValue, null, null, false))!.Value.Completions.Single();
        Assert.Equal(T0.AddHours(8).ToUnixTimeMilliseconds(), held.FirstSeenAt);
        await AssertSameAsync(index, factory.Services.GetRequiredService<IAnalyticsStore>(), goal.Id);
    }

    [Fact]
    public async Task ChangesCommittedWhileAGoalLoads_AreAppliedAfterTheLoad()
    {
        var goalId = Guid.NewGuid();
        var store = new GatedStore(goalId);
        var index = new ResultIndex(store, NullLogger<ResultIndex>.Instance);
        IChangeHandler follower = index;

        var reading = index.ReadAsync(goalId, long.MinValue, long.MaxValue, null, null, true);
        await store.Loading.Task;
        // Committed after the load began: profile 2 completes, profile 1's completion moves.
        await follower.ApplyAsync([new Change(1, ChangeKind.Results)
        {
            Results =
            [
                new ResultChange(goalId, 2, new CompletionFact(2, 500, "ads", "shop", null, null), [new ConversionFact(2, 500, "ads", "shop", 9)]),
                new ResultChange(goalId, 1, new CompletionFact(1, 50, "email", null, null, null), []),
            ],
        }], default);
        store.Release.SetResult();
        var (completions, conversions) = (await reading)!.Value;
        Assert.Equal([(1L, 50L, "email"), (2L, 500L, "ads")], completions.OrderBy(c => c.ProfileId).Select(c => (c.ProfileId, c.At, c.Channel)).ToList());
        // Profile 1's recorded conversion stays; its derived one went with the change.
        Assert.Equal([(1L, 120L, 7.0), (2L, 500L, 9.0)], conversions.OrderBy(c => c.ProfileId).Select(c => (c.ProfileId, c.At, c.Value ?? 0)).ToList());
        Assert.Equal(1, store.Loads);

        // A whole-goal rewrite drops what is held: the next read loads again.
        await follower.ApplyAsync([new Change(2, ChangeKind.GoalResults) { Goals = [goalId] }], default);
        var reloaded = await index.ReadAsync(goalId, 0, 1000, "shop", null, false);
        Assert.Equal(2, store.Loads);
        Assert.Equal([100L], reloaded!.Value.Completions.Select(c => c.At));
        Assert.Null(reloaded.Value.Completions[0].Channel);
    }

    [Fact]
    public async Task AFailedLoad_LeavesReadingToTheStore_AndIsTriedAgain()
    {
        var goalId = Guid.NewGuid();
        var store = new GatedStore(goalId) { FailNext = true };
        store.Release.SetResult();
        var index = new ResultIndex(store, NullLogger<ResultIndex>.Instance);
        Assert.Null(await index.ReadAsync(goalId, long.MinValue, long.MaxValue, null, null, true));
        Assert.Equal(2, (await index.ReadAsync(goalId, long.MinValue, long.MaxValue, null, null, true))!.Value.Conversions.Count);
    }

    [Fact]
    public async Task AGoalWithNoRows_IsNotHeld_AndIsReadFromTheStoreEachTime()
    {
        var goalId = Guid.NewGuid();
        var store = new GatedStore(goalId) { Empty = true };
        store.Release.SetResult();
        var index = new ResultIndex(store, NullLogger<ResultIndex>.Instance);
        Assert.Empty((await index.ReadAsync(goalId, long.MinValue, long.MaxValue, null, null, true))!.Value.Completions);
        Assert.Empty((await index.ReadAsync(goalId, long.MinValue, long.MaxValue, null, null, true))!.Value.Completions);
        Assert.Equal(2, store.Loads);
    }

    /// <summary>Compares every read the analytics make, over a few periods and filters; returns the rows compared.</summary>
    private static async Task<int> AssertSameAsync(ResultIndex index, IAnalyticsStore stored, Guid goalId)
    {
        var rows = 0;
        var periods = new[] { (long.MinValue, long.MaxValue), (T0.AddDays(1).ToUnixTimeMilliseconds(), T0.AddDays(3).ToUnixTimeMilliseconds()) };
        var filters = new[] { ((string?)null, (string?)null), ("shop", null), (null, "email"), ("blog", "ads") };
        foreach (var (start, end) in periods)
        {
            // A funnel's later steps, read from the store's index when the goal is not held: the same (profile, time) pairs.
            var scanned = new List<(long, long)>();
            await stored.ScanConversionTimesAsync(goalId, start, (profile, at) => scanned.Add((profile, at)));
            var fromStart = await index.ReadAsync(goalId, start, long.MaxValue, null, null, withPlaces: false);
            Assert.Equal(fromStart!.Value.Conversions.Select(c => (c.ProfileId, c.At)).Order(), scanned.Order());
            foreach (var (site, channel) in filters)
            {
                foreach (var withPlaces in new[] { true, false })
                {
                    var held = await index.ReadAsync(goalId, start, end, site, channel, withPlaces);
                    Assert.NotNull(held);
                    var completions = await stored.CompletionsAsync(goalId, start, end, site, channel, withPlaces);
                    var conversions = await stored.ConversionsAsync(goalId, start, end, site, channel, withPlaces);
                    // The same rows; their order is not part of the contract.
                    Assert.Equal(completions.OrderBy(c => c.ProfileId), held.Value.Completions.OrderBy(c => c.ProfileId));
                    Assert.Equal(conversions.OrderBy(c => (c.ProfileId, c.At, c.Value, c.Channel, c.Site)),
                        held.Value.Conversions.OrderBy(c => (c.ProfileId, c.At, c.Value, c.Channel, c.Site)));
                    var completionsOnly = await index.ReadAsync(goalId, start, end, site, channel, withPlaces, withConversions: false);
                    Assert.Equal(completions.OrderBy(c => c.ProfileId), completionsOnly!.Value.Completions.OrderBy(c => c.ProfileId));
                    Assert.Empty(completionsOnly.Value.Conversions);
                    rows += completions.Count + conversions.Count;
                }
            }
        }
        return rows;
    }

    /// <summary>
    /// A goal with two profiles: 1 completed at 100 on the shop site with a derived conversion and a
    /// recorded one (7 at 120); 2 has nothing. Loading waits for <see cref="Release"/>.
    /// </summary>
    private sealed class GatedStore(Guid goalId) : AnalyticsStoreStub
    {
        public TaskCompletionSource Loading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Loads { get; private set; }

        public bool FailNext { get; set; }

        public bool Empty { get; set; }

        public override async Task ScanGoalResultsAsync(Guid goal, Action<CompletionFact> completion, Action<ConversionFact, bool> conversion, CancellationToken ct = default)
        {
            Assert.Equal(goalId, goal);
            Loading.TrySetResult();
            await Release.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the database is gone");
            }
            Loads++;
            if (Empty)
            {
                return;
            }
            completion(new CompletionFact(1, 100, "email", "shop", null, null));
            conversion(new ConversionFact(1, 100, "email", "shop", null), true);
            conversion(new ConversionFact(1, 120, null, null, 7), false);
        }

        public override Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default)
        {
            visit(1, 10);
            return Task.CompletedTask;
        }
    }
}
