using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

public sealed partial class AnalyticsService
{
    /// <summary>The funnel of docs/analytics.md for a period and filters, optionally split; null when there is no such funnel.</summary>
    public async Task<FunnelStats?> FunnelStatsAsync(int funnelId, AnalyticsQuery query, FunnelSplit split = FunnelSplit.None, CancellationToken ct = default)
    {
        var computed = await FunnelPathsAsync(funnelId, query, ct);
        if (computed is null)
        {
            return null;
        }
        var (goals, paths, buckets) = computed.Value;
        var splits = new List<FunnelSplitRow>();
        if (split == FunnelSplit.Segment)
        {
            foreach (var segment in await SegmentsAsync(ct))
            {
                splits.Add(new FunnelSplitRow(segment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), segment.Name,
                    FunnelFigures.Steps(goals, paths.Where(p => segment.Members.Contains(p.ProfileId)).ToList())));
            }
        }
        else if (split == FunnelSplit.Campaign)
        {
            foreach (var campaign in (await CampaignsAsync(ct)).Where(c => c.Members.Count > 0))
            {
                splits.Add(new FunnelSplitRow(campaign.Key, campaign.Name,
                    FunnelFigures.Steps(goals, paths.Where(p => campaign.Members.TryGetValue(p.ProfileId, out var entered) && entered <= p.Times[0]).ToList())));
            }
        }
        // One pass over the paths: each falls in the last bucket starting at or before its step 1.
        var starts = buckets.Select(b => b.StartMs).ToArray();
        var started = new int[buckets.Length];
        var finished = new int[buckets.Length];
        foreach (var path in paths)
        {
            var i = Sorted.LowerBound(starts, path.Times[0] + 1) - 1;
            started[i]++;
            finished[i] += path.Reached == goals.Count ? 1 : 0;
        }
        var trend = buckets.Select((b, i) => new FunnelTrendRow(b.Date, started[i], finished[i], Rates.Of(finished[i], started[i]))).ToList();
        return new FunnelStats(funnelId, query.From, query.To, FunnelFigures.Steps(goals, paths), splits, trend);
    }

    /// <summary>Up to <paramref name="max"/> profiles that reached step <paramref name="step"/> − 1 (1-based) and stopped there, the latest first.</summary>
    public async Task<IReadOnlyList<DropOffProfile>> DropOffSampleAsync(int funnelId, AnalyticsQuery query, int step, int max = 20, CancellationToken ct = default)
    {
        var computed = await FunnelPathsAsync(funnelId, query, ct);
        if (computed is null || step < 2)
        {
            return [];
        }
        var stopped = computed.Value.Paths.Where(p => p.Reached == step - 1).OrderByDescending(p => p.Times[^1]).Take(max).ToList();
        var ids = stopped.Select(p => p.ProfileId).ToList();
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var names = await db.Profiles.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ExternalId, ct);
        return stopped.Select(p => new DropOffProfile(names.GetValueOrDefault(p.ProfileId, "?"), DateTimeOffset.FromUnixTimeMilliseconds(p.Times[^1]))).ToList();
    }

    private async Task<(IReadOnlyList<(Guid GoalId, string Name)> Goals, List<FunnelPath> Paths, Bucket[] Buckets)?> FunnelPathsAsync(
        int funnelId, AnalyticsQuery query, CancellationToken ct)
    {
        await ValidateAsync(query, ct);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var funnel = await db.Funnels.AsNoTracking().Include(f => f.Steps).FirstOrDefaultAsync(f => f.Id == funnelId, ct);
        if (funnel is null)
        {
            return null;
        }
        var steps = funnel.Steps.OrderBy(s => s.Position).ToList();
        var goalIds = steps.Select(s => s.GoalId).ToList();
        var names = await db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var goals = steps.Select(s => (s.GoalId, names.GetValueOrDefault(s.GoalId, "?"))).ToList();

        var buckets = Buckets.For(new Period(query.From, query.To, _workspace.TimeZone), query.Interval);
        var (startMs, endMs) = (buckets[0].StartMs, buckets[^1].EndMs);
        var where = query.Where;
        var scope = where.Segment is null && where.Campaign is null
            ? ProfileScope.All
            : new ProfileScope((await SegmentsAsync(ct)).FirstOrDefault(s => s.Id == where.Segment)?.Members,
                (await CampaignsAsync(ct)).FirstOrDefault(c => c.Key == where.Campaign)?.Members, endMs);
        var (_, entries) = await _results.ResultsAsync(goals[0].GoalId, startMs, endMs, where.Site, where.Channel, withPlaces: false, ct: ct);
        var first = FunnelFigures.Earliest(entries, scope.Keeps);
        var later = new List<IReadOnlyDictionary<long, long[]>>();
        foreach (var step in steps.Skip(1))
        {
            // Only profiles that entered the funnel can reach a later step: the others' conversions are not kept.
            later.Add(await _results.ConversionTimesAsync(step.GoalId, startMs, first.ContainsKey, ct));
        }
        var paths = FunnelFigures.Paths(first, later, steps.Skip(1).Select(s => (long?)s.Window?.Length.TotalMilliseconds).ToList(),
            (long?)funnel.Window?.Length.TotalMilliseconds);
        return (goals, paths, buckets);
    }
}
