using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Analytics;

/// <summary>Figures of one goal over a period, for lists: counts and a per-day completion series.</summary>
public sealed record GoalSummary(int Completions, int Conversions, IReadOnlyList<int> DailyCompletions);

/// <summary>
/// The list's figures for every goal in one pass over the precomputed completion and conversion rows
/// (never over events), plus the period's active profiles, the default denominator.
/// </summary>
public static class GoalSummaries
{
    private const long DayMs = 86_400_000;

    public static async Task<(IReadOnlyDictionary<Guid, GoalSummary> Goals, int ActiveProfiles)> LoadAsync(
        AppDbContext db, Period period, CancellationToken ct = default)
    {
        var from = period.Start.ToUnixTimeMilliseconds();
        var to = period.End.ToUnixTimeMilliseconds();
        var days = period.Days;

        var completionDays = await db.Database.SqlQuery<GoalDayCount>(
                $"SELECT GoalId, (CompletedAt - {from}) / {DayMs} AS Day, COUNT(*) AS Count FROM completions WHERE CompletedAt >= {from} AND CompletedAt < {to} GROUP BY GoalId, (CompletedAt - {from}) / {DayMs}")
            .ToListAsync(ct);
        var conversions = await db.Database.SqlQuery<GoalCount>(
                $"SELECT GoalId, COUNT(*) AS Count FROM conversions WHERE Timestamp >= {from} AND Timestamp < {to} GROUP BY GoalId")
            .ToListAsync(ct);
        var active = await db.Database.SqlQuery<int>(
                $"SELECT COUNT(DISTINCT ProfileId) AS Value FROM events WHERE Timestamp >= {from} AND Timestamp < {to}")
            .SingleAsync(ct);

        var result = new Dictionary<Guid, GoalSummary>();
        foreach (var goal in completionDays.Select(c => c.GoalId).Concat(conversions.Select(c => c.GoalId)).Distinct())
        {
            var series = new int[days];
            foreach (var day in completionDays.Where(c => c.GoalId == goal && c.Day >= 0 && c.Day < days))
            {
                series[day.Day] = day.Count;
            }
            result[goal] = new GoalSummary(series.Sum(), conversions.FirstOrDefault(c => c.GoalId == goal)?.Count ?? 0, series);
        }
        return (result, active);
    }

    private sealed record GoalDayCount(Guid GoalId, int Day, int Count);

    private sealed record GoalCount(Guid GoalId, int Count);
}
