using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Services;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Api;

/// <summary>
/// CSV downloads for signed-in people (the dashboard's export buttons link here, with the page's own
/// period and filters in the address).
/// </summary>
public static class ExportEndpoints
{
    private const int MaxCompletionRows = 1_000_000;

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var exports = endpoints.MapGroup("/exports").RequireAuthorization().ExcludeFromDescription();
        exports.MapGet("/goals/{id:guid}/{kind}.csv", GoalAsync);
        exports.MapGet("/compare/{kind}.csv", CompareAsync);
        exports.MapGet("/funnels/{id:int}/{kind}.csv", FunnelAsync);
        return endpoints;
    }

    private static async Task<IResult> GoalAsync(Guid id, string kind, HttpRequest request, AnalyticsService analytics, GoalService goals, CancellationToken ct)
    {
        if (kind is not ("trend" or "breakdowns" or "completions"))
        {
            return ApiProblems.NotFound("Exports are trend, breakdowns or completions.");
        }
        return await WithQueryAsync(request, analytics, async query =>
        {
            if (await goals.GetAsync(id, ct) is not { } found)
            {
                return ApiProblems.NotFound($"No goal has the id {id}.");
            }
            var name = CsvExports.FileName("goal", found.Goal.Name, kind, query);
            if (kind == "completions")
            {
                var (rows, _) = await analytics.CompletionsAsync(id, query, 0, MaxCompletionRows, ct);
                return File(CsvExports.Completions(rows), name);
            }
            var stats = await analytics.StatsAsync(id, query, withBreakdowns: kind == "breakdowns", ct);
            return stats is null
                ? ApiProblems.NotFound($"No goal has the id {id}.")
                : File(kind == "trend" ? CsvExports.Trend(stats) : CsvExports.Breakdowns(stats), name);
        });
    }

    private static async Task<IResult> CompareAsync(string kind, string? ids, HttpRequest request, AnalyticsService analytics,
        IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        if (kind is not ("table" or "trend"))
        {
            return ApiProblems.NotFound("Comparison exports are table or trend.");
        }
        var goalIds = CompareIds.Parse(ids);
        return await WithQueryAsync(request, analytics, async query =>
        {
            var stats = await analytics.CompareAsync(goalIds, query, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var goals = await db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
            return kind == "table"
                ? File(CsvExports.Comparison(stats.Select(s => (goals[s.GoalId].Name, goals[s.GoalId].TargetRate, s))), CsvExports.FileName("goal-comparison", null, "", query))
                : File(CsvExports.ComparisonTrend(stats.Select(s => (goals[s.GoalId].Name, s)).ToList()), CsvExports.FileName("goal-comparison", null, "trend", query));
        });
    }

    private static async Task<IResult> FunnelAsync(int id, string kind, string? split, HttpRequest request, AnalyticsService analytics, FunnelService funnels,
        CancellationToken ct)
    {
        if (kind is not ("steps" or "trend"))
        {
            return ApiProblems.NotFound("Funnel exports are steps or trend.");
        }
        var by = split switch { "segment" => FunnelSplit.Segment, "campaign" => FunnelSplit.Campaign, _ => FunnelSplit.None };
        return await WithQueryAsync(request, analytics, async query =>
        {
            var stats = await analytics.FunnelStatsAsync(id, query, by, ct);
            var name = (await funnels.GetAsync(id, ct))?.Funnel.Name;
            return stats is null
                ? ApiProblems.NotFound($"No funnel has the id {id}.")
                : File(kind == "steps" ? CsvExports.FunnelSteps(stats) : CsvExports.FunnelTrend(stats), CsvExports.FileName("funnel", name, kind, query));
        });
    }

    private static async Task<IResult> WithQueryAsync(HttpRequest request, AnalyticsService analytics, Func<AnalyticsQuery, Task<IResult>> export)
    {
        var q = request.Query;
        var (query, errors) = QueryText.Parse(q["from"], q["to"], q["interval"], q["site"], q["channel"], q["campaign"], q["segment"], analytics.Today);
        if (query is null)
        {
            return ApiProblems.Validation(errors);
        }
        try
        {
            return await export(query);
        }
        catch (AnalyticsQueryException ex)
        {
            return ApiProblems.Validation(ex.Field, ex.Message);
        }
    }

    private static IResult File(byte[] content, string name) => TypedResults.File(content, "text/csv; charset=utf-8", name);
}
