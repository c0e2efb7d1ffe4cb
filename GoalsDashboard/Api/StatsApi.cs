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
            .Documented("Every figure (docs/analytics.md) of a goal over a period, with trend and breakdowns", 200, 404, 422);
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
        return stats is null ? ApiProblems.NotFound($"No goal has the id {id}.") : TypedResults.Ok(StatsResponse.From(stats));
    }
}

/// <summary>The stats shape of docs/api.md.</summary>
public static class StatsResponse
{
    public static object From(GoalStats s) => new
    {
        goal_id = s.GoalId,
        from = QueryText.Format(s.From),
        to = QueryText.Format(s.To),
        completions = s.Completions,
        conversions = s.Conversions,
        active_profiles = s.ActiveProfiles,
        denominator = s.Denominator,
        completion_rate = s.CompletionRate,
        revenue = new { total = s.Revenue.Total, average = s.Revenue.Average, currency = s.Revenue.Currency, valued_conversions = s.Revenue.ValuedConversions },
        median_time_to_convert_seconds = s.MedianTimeToConvertSeconds,
        trend = s.Trend.Select(t => new
        {
            date = QueryText.Format(t.Date),
            completions = t.Completions,
            conversions = t.Conversions,
            active_profiles = t.ActiveProfiles,
            completion_rate = t.CompletionRate,
        }),
        breakdowns = new
        {
            channel = Rows(s.Breakdowns.Channel),
            site = Rows(s.Breakdowns.Site),
            campaign = Rows(s.Breakdowns.Campaign),
            segment = Rows(s.Breakdowns.Segment),
        },
    };

    private static IEnumerable<object> Rows(IEnumerable<BreakdownRow> rows) => rows.Select(r => new
    {
        value = r.Value,
        label = r.Label,
        completions = r.Completions,
        conversions = r.Conversions,
        denominator = r.Denominator,
        completion_rate = r.CompletionRate,
    });
}
