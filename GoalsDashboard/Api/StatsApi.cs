using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary><c>GET /api/v1/goals/{id}/stats</c>: every figure of docs/analytics.md, from the same query layer as the pages.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/goals/{id:guid}/stats", StatsAsync).WithTags("Goals").RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<GoalStatsResponse>("getGoalStats", "Every figure (docs/analytics.md) of a goal over a period, with trend and breakdowns", 200, 404, 422);
        return api;
    }

    private static async Task<IResult> StatsAsync(Guid id, AnalyticsService analytics, string? from, string? to, string? interval,
        string? site, string? channel, string? campaign, string? segment, CancellationToken ct)
    {
        var (query, errors) = QueryText.Parse(from, to, interval, site, channel, campaign, segment, analytics.Today);
        if (query is null)
        {
            return ApiProblems.Validation(errors);
        }
        GoalStats? stats;
        try
        {
            stats = await analytics.StatsAsync(id, query, withBreakdowns: true, ct);
        }
        catch (AnalyticsQueryException ex)
        {
            return ApiProblems.Validation(ex.Field, ex.Message);
        }
        return stats is null ? ApiProblems.NotFound($"No goal has the id {id}.") : TypedResults.Ok(GoalStatsResponse.Of(stats));
    }
}
