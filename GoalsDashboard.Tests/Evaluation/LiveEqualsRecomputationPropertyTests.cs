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
/// The core promise of docs/evaluation.md: whatever order data arrives in (late events, duplicates, property
/// changes in between), the stored completions and conversions equal a full recomputation over the
/// profile's final history. Random goals and random streams, a few hundred cases.
/// </summary>
public class LiveEqualsRecomputationPropertyTests
{
    private static readonly string[] Names = ["signup", "trial", "purchase", "refund", TrackedEvent.PageViewName];
    private static readonly string[] Paths = ["/pricing", "/blog/a", "/blog/b/c", "/docs/x"];
    private static readonly string[] Sites = ["shop", "blog"];
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LiveEvaluation_EqualsFullRecomputation_ForRandomGoalsAndStreams()
    {
        await using var factory = new GoalsAppFactory(settings: new Dictionary<string, string> { ["Goals:MaxActive"] = "1000" });
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var evaluation = factory.Services.GetRequiredService<EvaluationService>();
        var goals = factory.Services.GetRequiredService<GoalService>();

        const int cases = 200;
        var completions = 0;
        for (var seed = 1; seed <= cases; seed++)
        {
            var random = new Random(seed);
            var caseGoals = new List<Goal>();
            for (var g = 0; g < 1 + random.Next(3); g++)
            {
                caseGoals.Add(await goals.CreateAsync(RandomGoal(random, $"case {seed} goal {g}"), "property-test"));
            }

            // A stream of events and property changes for a few profiles, shuffled (late and out of order), with repeated event ids.
            var profiles = Enumerable.Range(0, 1 + random.Next(3)).Select(p => $"c{seed}-p{p}").ToArray();
            var stream = RandomStream(random, seed, profiles);
            var stored = new List<IncomingEvent>();
            var storedIds = new HashSet<string>();
            var changes = new List<(string Profile, IncomingPropertyChange Change, DateTimeOffset At, int Order)>();
            foreach (var batch in stream.Chunk(1 + random.Next(6)))
            {
                var events = batch.OfType<IncomingEvent>().ToList();
                if (events.Count > 0)
                {
                    await store.IngestEventsAsync(events, T0.AddDays(30));
                    stored.AddRange(events.Where(e => e.EventId is null || storedIds.Add(e.EventId)));
                }
                foreach (var change in batch.OfType<ProfilePropertyChanges>())
                {
                    await store.SetPropertiesAsync([change]);
                    changes.AddRange(change.Changes.Select(c => (change.ProfileId, c, change.At, changes.Count)));
                }
                // Live: the touched profiles are re-evaluated after every batch, as the worker does.
                var ids = await factory.QueryAsync(db => db.Profiles.Where(p => profiles.Contains(p.ExternalId)).Select(p => p.Id).ToListAsync());
                await evaluation.EvaluateProfilesAsync(ids);
            }

            foreach (var goal in caseGoals)
            {
                foreach (var profile in profiles)
                {
                    var history = new ProfileHistory(0,
                        stored.Select((e, i) => (e, i)).Where(x => x.e.ProfileId == profile).Select(x => new EventFact(x.i + 1, x.e.Name, x.e.Timestamp, x.e.Site, x.e.Path, x.e.Channel,
                            x.e.PropertiesJson is null ? null : EventProperties.Parse(x.e.PropertiesJson), x.e.RevenueAmount, x.e.RevenueCurrency)),
                        changes.Where(c => c.Profile == profile).Select(c => new PropertyFact(c.Change.Key, c.Change.Value, c.At, c.Order)));
                    var expected = GoalEvaluator.Evaluate(goal, history);
                    completions += expected.Completion is null ? 0 : 1;
                    var (completion, conversions) = await factory.QueryAsync(async db =>
                    {
                        var id = await db.Profiles.Where(p => p.ExternalId == profile).Select(p => (long?)p.Id).SingleOrDefaultAsync();
                        var c = await db.Completions.AsNoTracking().SingleOrDefaultAsync(x => x.GoalId == goal.Id && x.ProfileId == id);
                        var cs = await db.Conversions.AsNoTracking().Where(x => x.GoalId == goal.Id && x.ProfileId == id).ToListAsync();
                        return (c, cs);
                    });
                    var context = $"seed {seed}, goal {GoalSentence.Describe(goal.Type, goal.Groups, goal.Window, goal.Sites)}, profile {profile}";
                    Assert.True(expected.Completion?.CompletedAt == completion?.CompletedAt, $"completion differs: {context}");
                    Assert.True(expected.Completion?.Value == completion?.Value, $"completion value differs: {context}");
                    Assert.True(expected.Completion?.Channel == completion?.Channel, $"completion channel differs: {context}");
                    Assert.Equal(expected.Conversions.Select(c => (c.Timestamp, c.Source, c.Value)).Order().ToList(),
                        conversions.Select(c => (c.Timestamp, c.Source, c.Value)).Order().ToList());
                }
            }
            foreach (var goal in caseGoals)
            {
                await goals.SetStatusAsync(goal.Id, GoalStatus.Archived, "property-test");
            }
        }
        // Guard against a vacuous pass: the random goals must complete often enough to compare something.
        Assert.True(completions > cases / 2, $"only {completions} completions over {cases} cases");
    }

    internal static GoalDraft RandomGoal(Random random, string name)
    {
        var groups = Enumerable.Range(0, 1 + random.Next(2)).Select(_ =>
            new ConditionGroup(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => RandomCondition(random)).ToList())).ToList();
        if (!groups.Any(g => g.Conditions.Any(c => c.Kind == ConditionKind.Event && !c.Negate)) && random.Next(2) == 0)
        {
            groups[0] = new ConditionGroup([.. groups[0].Conditions, Condition.ForEvent("purchase")]);
        }
        var revenue = random.Next(4) == 0 && groups.All(g => g.Conditions.Any(c => c is { Kind: ConditionKind.Event, Negate: false }));
        GoalWindow? window = random.Next(3) switch
        {
            0 => new GoalWindow(1 + random.Next(48), WindowUnit.Hours),
            1 => new GoalWindow(1 + random.Next(3), WindowUnit.Days, WindowAnchor.Event, Names[random.Next(4)]),
            _ => null,
        };
        return new GoalDraft
        {
            Name = name,
            Type = revenue ? GoalType.Revenue : GoalType.Combined,
            Currency = revenue ? "EUR" : null,
            Groups = groups,
            Window = window,
            Sites = random.Next(4) == 0 ? [Sites[random.Next(2)]] : [],
            DefaultValue = random.Next(2) == 0 ? 5 : null,
        };
    }

    private static Condition RandomCondition(Random random) => random.Next(5) switch
    {
        0 or 1 => Condition.ForEvent(Names[random.Next(4)]) with
        {
            Negate = random.Next(5) == 0,
            Filters = random.Next(3) == 0 ? [new PropertyFilter("amount", Operator.GreaterThan, "50")] : [],
        },
        2 => Condition.ForPageView(random.Next(2) == 0 ? "/blog/*" : Paths[random.Next(Paths.Length)]) with { Negate = random.Next(6) == 0 },
        _ => Condition.ForProperty("plan", random.Next(3) switch { 0 => Operator.Equals, 1 => Operator.NotEquals, _ => Operator.Exists },
            random.Next(2) == 0 ? "pro" : "free") with { Negate = random.Next(5) == 0 },
    };

    internal static List<object> RandomStream(Random random, int seed, string[] profiles)
    {
        var items = new List<object>();
        var count = 3 + random.Next(12);
        for (var i = 0; i < count; i++)
        {
            var profile = profiles[random.Next(profiles.Length)];
            var at = T0.AddMinutes(random.Next(0, 60 * 24 * 4));
            if (random.Next(4) == 0)
            {
                items.Add(new ProfilePropertyChanges(profile, [new IncomingPropertyChange("plan", PropertyValue.String(random.Next(2) == 0 ? "pro" : "free"))], at));
                continue;
            }
            var name = Names[random.Next(Names.Length)];
            var eventId = random.Next(3) == 0 ? null : $"s{seed}-e{random.Next(count)}"; // repeats make duplicates
            items.Add(new IncomingEvent(eventId, profile, name, at, random.Next(5) == 0 ? null : Sites[random.Next(2)],
                name == TrackedEvent.PageViewName ? Paths[random.Next(Paths.Length)] + (random.Next(4) == 0 ? "?q=1" : "") : null,
                random.Next(2) == 0 ? "email" : "ads", null,
                random.Next(2) == 0 ? $$"""{"amount":{{random.Next(100)}}}""" : null,
                name == "purchase" ? random.Next(1, 100) : null, name == "purchase" ? (random.Next(3) == 0 ? "USD" : "EUR") : null));
        }
        return items.OrderBy(_ => random.Next()).ToList();
    }
}
