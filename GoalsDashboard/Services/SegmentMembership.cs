using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>Reads what several segments need in one pass and returns each one's current members.</summary>
internal static class SegmentMembership
{
    public static async Task<IReadOnlyList<HashSet<long>>> MembersAsync(AppDbContext db, IReadOnlyList<IReadOnlyList<SegmentCondition>> segments, CancellationToken ct)
    {
        if (segments.Count == 0)
        {
            return [];
        }
        var keys = segments.SelectMany(s => s).Where(c => c.Field == SegmentField.Property).Select(c => c.Key!).Distinct().ToList();
        var properties = new Dictionary<long, Dictionary<string, PropertyValue>>();
        if (keys.Count > 0)
        {
            await foreach (var p in db.ProfileProperties.AsNoTracking().Where(p => keys.Contains(p.Key)).AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!properties.TryGetValue(p.ProfileId, out var values))
                {
                    properties[p.ProfileId] = values = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
                }
                values[p.Key] = new PropertyValue(p.Kind, p.Value);
            }
        }
        var everyone = segments.Any(SegmentMatcher.NeedsEveryProfile)
            ? await db.Profiles.AsNoTracking().Select(p => new { p.Id, p.FirstChannel, p.FirstSite }).ToListAsync(ct)
            : null;
        var none = new Dictionary<string, PropertyValue>();
        return segments.Select(conditions =>
        {
            var candidates = SegmentMatcher.NeedsEveryProfile(conditions)
                ? everyone!.Select(p => (p.Id, new ProfileFacts(properties.GetValueOrDefault(p.Id) ?? none, p.FirstChannel, p.FirstSite)))
                : properties.Select(p => (p.Key, new ProfileFacts(p.Value, null, null)));
            return SegmentMatcher.Members(conditions, candidates);
        }).ToList();
    }
}
