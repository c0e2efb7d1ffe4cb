using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>Values seen in the data, offered while typing a condition.</summary>
public sealed record Suggestions(
    IReadOnlyList<string> EventNames,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> ProfileKeys,
    IReadOnlyList<string> EventPropertyKeys,
    IReadOnlyList<string> Sites,
    IReadOnlyList<(string Key, string Name)> Campaigns)
{
    public static readonly Suggestions Empty = new([], [], [], [], [], []);
}

/// <summary>Distinct names, paths and keys from stored data; cached for a minute so the builder stays instant.</summary>
public sealed class SuggestionService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private Suggestions? _cached;
    private DateTimeOffset _until;

    public async Task<Suggestions> GetAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_cached is not null && now < _until)
        {
            return _cached;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Names are kept as they arrive (event_names); paths and property keys come from the latest stored events
        // only, walked back from the newest id (events have no index by time or name).
        var names = await db.EventNames.AsNoTracking().Where(n => n.Name != TrackedEvent.PageViewName).OrderBy(n => n.Name).Take(500).Select(n => n.Name).ToListAsync(ct);
        var recentViews = await db.Events.AsNoTracking().Where(e => e.Name == TrackedEvent.PageViewName && e.Path != null)
            .OrderByDescending(e => e.Id).Take(20_000).Select(e => e.Path!).ToListAsync(ct);
        var paths = recentViews.Select(PathPattern.StripQuery).GroupBy(p => p).OrderByDescending(g => g.Count()).Take(200).Select(g => g.Key).ToList();
        var profileKeys = await db.ProfileProperties.AsNoTracking().Select(p => p.Key).Distinct().OrderBy(k => k).Take(300).ToListAsync(ct);
        var recentProperties = await db.Events.AsNoTracking().Where(e => e.PropertiesJson != null)
            .OrderByDescending(e => e.Id).Take(5_000).Select(e => e.PropertiesJson!).ToListAsync(ct);
        var eventKeys = recentProperties.SelectMany(json => EventProperties.Parse(json).Keys).Distinct().Order(StringComparer.Ordinal).Take(300).ToList();
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Key).Select(s => s.Key).ToListAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Key, c.Name }).ToListAsync(ct);
        _cached = new Suggestions(names, paths, profileKeys, eventKeys, sites, campaigns.Select(c => (c.Key, c.Name)).ToList());
        _until = now.AddMinutes(1);
        return _cached;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<string> Values)> _values = new(StringComparer.Ordinal);

    /// <summary>
    /// The most common current values of a profile property (most profiles first, at most 50), for a segment
    /// condition's value; read on the (key, value) index and cached for a minute per key.
    /// </summary>
    public async Task<IReadOnlyList<string>> PropertyValuesAsync(string key, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_values.TryGetValue(key, out var cached) && now < cached.Until)
        {
            return cached.Values;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var values = await db.ProfileProperties.AsNoTracking().Where(p => p.Key == key && p.Value != null)
            .GroupBy(p => p.Value!).Select(g => new { Value = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Value).Take(50).Select(g => g.Value).ToListAsync(ct);
        if (_values.Count > 1000)
        {
            _values.Clear();
        }
        _values[key] = (now.AddMinutes(1), values);
        return values;
    }
}
