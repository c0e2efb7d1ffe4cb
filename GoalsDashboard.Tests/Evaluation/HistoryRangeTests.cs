using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>Backfills read all history in id ranges, one per core: together the ranges must be exactly the whole.</summary>
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
        var store = factory.Services.GetRequiredService<IIngestionStore>();
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
}
