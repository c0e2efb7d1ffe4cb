using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Analytics;

/// <summary>Figures of one goal over a period, for lists: counts and a per-day completion series.</summary>
public sealed record GoalSummary(int Completions, int Conversions, IReadOnlyList<int> DailyCompletions);

/// <summary>
/// The list's figures for every goal from the precomputed completion and conversion rows (never from
/// events), counted in SQL per goal and per hour. The denominator is the analytics layer's.
/// </summary>
public static class GoalSummaries
{
    private const long HourMs = 3_600_000;
    private const long QuarterHourMs = 900_000;

    public static async Task<IReadOnlyDictionary<Guid, GoalSummary>> LoadAsync(AppDbContext db, Period period, CancellationToken ct = default)
    {
        var days = Buckets.For(period, TrendInterval.Day);
        var from = period.Start.ToUnixTimeMilliseconds();
        var to = period.End.ToUnixTimeMilliseconds();
        // Counted per slot of time from the period's start, then added up per local day. Local midnights
        // are whole hours apart unless the zone shifts by half an hour; every zone's midnights fall on quarter-hours.
        var slot = days.All(d => (d.StartMs - from) % HourMs == 0) && (to - from) % HourMs == 0 ? HourMs : QuarterHourMs;

        // "GoalId IN goals" lets SQLite walk the covering (GoalId, time, ...) index goal by goal instead of scanning every row.
        var completionSlots = await db.Database.SqlQuery<GoalSlotCount>(
                $"SELECT GoalId, (CompletedAt - {from}) / {slot} AS Slot, COUNT(*) AS Count FROM completions WHERE GoalId IN (SELECT Id FROM goals) AND CompletedAt >= {from} AND CompletedAt < {to} GROUP BY GoalId, Slot")
            .ToListAsync(ct);
        var conversions = await db.Database.SqlQuery<GoalCount>(
                $"SELECT GoalId, COUNT(*) AS Count FROM conversions WHERE GoalId IN (SELECT Id FROM goals) AND Timestamp >= {from} AND Timestamp < {to} GROUP BY GoalId")
            .ToListAsync(ct);

        var series = new Dictionary<Guid, int[]>();
        foreach (var count in completionSlots)
        {
            if (!series.TryGetValue(count.GoalId, out var perDay))
            {
                series[count.GoalId] = perDay = new int[days.Length];
            }
            var day = Buckets.IndexOf(days, from + count.Slot * slot);
            if (day >= 0)
            {
                perDay[day] += count.Count;
            }
        }
        var converted = conversions.ToDictionary(c => c.GoalId, c => c.Count);
        return series.Keys.Union(converted.Keys).ToDictionary(goal => goal, goal =>
        {
            var perDay = series.GetValueOrDefault(goal) ?? new int[days.Length];
            return new GoalSummary(perDay.Sum(), converted.GetValueOrDefault(goal), perDay);
        });
    }

    private sealed record GoalSlotCount(Guid GoalId, long Slot, int Count);

    private sealed record GoalCount(Guid GoalId, int Count);
}
