using GoalsDashboard.Data;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// Batches stored at the same time that name the same new profiles, and repeat each other's event ids: every profile
/// is made once, every event id stored once, each event under its own profile, and each profile's first seen is its
/// earliest event (on PostgreSQL profiles are made ahead of the batch's transaction, ADR-004).
/// </summary>
public class ConcurrentIngestionTests
{
    [Fact]
    public async Task ConcurrentBatches_OfTheSameNewProfiles_MakeEachProfileOnce_AndStoreEachEventIdOnce()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        // Six batches of 150 events over the same 40 profiles; a third of the ids are repeated in another batch.
        var batches = Enumerable.Range(0, 6).Select(b => Enumerable.Range(0, 150).Select(i =>
        {
            var id = i % 3 == 0 ? $"shared-{i}" : $"b{b}-{i}";
            var profile = $"concurrent-p{random.Next(40)}";
            return new IncomingEvent(id, profile, "pageview", t0.AddMinutes(random.Next(10_000)), "www.example.com", "/", "direct", null, null, null, null);
        }).ToList()).ToList();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(() => store.IngestEventsAsync(batch, t0))));

        var all = batches.SelectMany(b => b).ToList();
        var distinctIds = all.Select(e => e.EventId).Distinct().Count();
        Assert.Equal(distinctIds, results.Sum(r => r.Accepted));
        var stored = await factory.QueryAsync(db => db.Events.Join(db.Profiles, e => e.ProfileId, p => p.Id, (e, p) => new { e.EventId, p.ExternalId, e.Timestamp }).ToListAsync());
        Assert.Equal(distinctIds, stored.Count);
        Assert.Equal(distinctIds, stored.Select(e => e.EventId).Distinct().Count());
        // Each stored event is one that was sent with that id, under the profile it was sent for.
        Assert.All(stored, e => Assert.Contains(all, sent => sent.EventId == e.EventId && sent.ProfileId == e.ExternalId && sent.Timestamp == e.Timestamp));
        var profiles = await factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId.StartsWith("concurrent-")).ToListAsync());
        Assert.Equal(all.Select(e => e.ProfileId).Distinct().Order(StringComparer.Ordinal), profiles.Select(p => p.ExternalId).Order(StringComparer.Ordinal));
        var earliest = stored.GroupBy(e => e.ExternalId).ToDictionary(g => g.Key, g => g.Min(e => e.Timestamp));
        Assert.All(profiles, p => Assert.Equal(earliest[p.ExternalId], p.FirstSeenAt));
    }
}
