using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary><c>/api/v1/funnels</c>: funnel definitions and their stats (the funnel of docs/analytics.md).</summary>
public static class FunnelsApi
{
    private const long MaxBody = 64 * 1024;

    public static RouteGroupBuilder MapFunnelEndpoints(this RouteGroupBuilder api)
    {
        var funnels = api.MapGroup("/funnels").WithTags("Funnels");
        funnels.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<IReadOnlyList<FunnelResponse>>("listFunnels", "Lists funnels", 200);
        funnels.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<FunnelResponse>("createFunnel", "Creates a funnel of 2 to 12 goals", 201, 400, 422)
            .WithBody<FunnelInput>(ApiExamples.Funnel);
        funnels.MapGet("/{id:int}", GetAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<FunnelResponse>("getFunnel", "Gets one funnel", 200, 404);
        funnels.MapPut("/{id:int}", ReplaceAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<FunnelResponse>("replaceFunnel", "Replaces a funnel", 200, 400, 404, 422)
            .WithBody<FunnelInput>(ApiExamples.Funnel);
        funnels.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented("deleteFunnel", "Deletes a funnel", 204, 404);
        funnels.MapGet("/{id:int}/history", (int id, HttpRequest request, HistoryService history, FunnelService service, string? page, string? page_size, CancellationToken ct) =>
                HistoryEndpoint.PageAsync(history, "funnel", id.ToString(CultureInfo.InvariantCulture), request, page, page_size,
                    async () => await service.GetAsync(id, ct) is not null, $"No funnel has the id {id}.", ct))
            .RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<HistoryPage>("getFunnelHistory", "A funnel's history, newest first, paged: who created, edited or deleted it, with each field before and after", 200, 404, 422);
        funnels.MapGet("/{id:int}/stats", StatsAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<FunnelStatsResponse>("getFunnelStats", "A funnel's steps over a period, optionally split by segment or campaign", 200, 404, 422);
        return api;
    }

    private static async Task<IResult> ListAsync(FunnelService funnels, CancellationToken ct) =>
        TypedResults.Ok((await funnels.ListAsync(ct)).Select(FunnelResponse.From));

    private static async Task<IResult> GetAsync(int id, FunnelService funnels, CancellationToken ct) =>
        await funnels.GetAsync(id, ct) is { } view ? TypedResults.Ok(FunnelResponse.From(view)) : ApiProblems.NotFound($"No funnel has the id {id}.");

    private static async Task<IResult> CreateAsync(HttpRequest request, FunnelService funnels, ClaimsPrincipal user, CancellationToken ct)
    {
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        var funnel = await funnels.CreateAsync(draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Created($"/api/v1/funnels/{funnel.Id}", FunnelResponse.From((await funnels.GetAsync(funnel.Id, ct))!));
    }

    private static async Task<IResult> ReplaceAsync(int id, HttpRequest request, FunnelService funnels, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await funnels.GetAsync(id, ct) is null)
        {
            return ApiProblems.NotFound($"No funnel has the id {id}.");
        }
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        await funnels.UpdateAsync(id, draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Ok(FunnelResponse.From((await funnels.GetAsync(id, ct))!));
    }

    private static async Task<IResult> DeleteAsync(int id, FunnelService funnels, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            await funnels.DeleteAsync(id, GoalsApi.UserName(user), ct);
            return TypedResults.NoContent();
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.NotFound($"No funnel has the id {id}.");
        }
    }

    private static async Task<IResult> StatsAsync(int id, AnalyticsService analytics, string? from, string? to, string? interval, string? site, string? channel,
        string? campaign, string? segment, string? split, CancellationToken ct)
    {
        var (query, errors) = QueryText.Parse(from, to, interval, site, channel, campaign, segment, analytics.Today);
        if (query is null)
        {
            return ApiProblems.Validation(errors);
        }
        FunnelSplit? splitBy = split switch { null or "" => FunnelSplit.None, "segment" => FunnelSplit.Segment, "campaign" => FunnelSplit.Campaign, _ => null };
        if (splitBy is null)
        {
            return ApiProblems.Validation("split", "split is segment or campaign.");
        }
        FunnelStats? stats;
        try
        {
            stats = await analytics.FunnelStatsAsync(id, query, splitBy.Value, ct);
        }
        catch (AnalyticsQueryException ex)
        {
            return ApiProblems.Validation(ex.Field, ex.Message);
        }
        return stats is null ? ApiProblems.NotFound($"No funnel has the id {id}.") : TypedResults.Ok(FunnelStatsResponse.Of(stats));
    }

    private static async Task<(FunnelDraft? Draft, IResult? Error)> ReadDraftAsync(HttpRequest request)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, MaxBody, "A funnel is a JSON object: {\"name\", \"steps\": [{\"goal_id\", \"window\"}], \"window\"}.");
        if (error is not null)
        {
            return (null, error);
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var items = f.Array(body, "steps");
        var steps = new List<FunnelStepDraft>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var sf = f.Nested($"steps[{i}]");
            var goalText = sf.String(items[i], "goal_id", required: true);
            var goalId = Guid.Empty;
            if (goalText is not null && !Guid.TryParse(goalText, out goalId))
            {
                errors.Add(sf.Field("goal_id"), $"\"{goalText}\" is not a goal id.");
            }
            steps.Add(new FunnelStepDraft(goalId, Window(items[i], sf)));
        }
        var draft = new FunnelDraft(f.String(body, "name"), steps, Window(body, f));
        try
        {
            draft = FunnelRules.Normalize(draft);
        }
        catch (DomainValidationException ex)
        {
            // Reported with the shape errors, so every mistake is named at once.
            foreach (var (field, messages) in ex.Errors.Where(e => !errors.ToDictionary().ContainsKey(e.Key)))
            {
                messages.ToList().ForEach(m => errors.Add(field, m));
            }
        }
        return errors.Any ? (null, ApiProblems.Validation(errors.ToDictionary())) : (draft, null);
    }

    private static FunnelWindow? Window(JsonElement json, JsonFields f)
    {
        if (!JsonFields.Has(json, "window"))
        {
            return null;
        }
        var w = json.GetProperty("window");
        var wf = f.Nested("window");
        var amount = wf.Int(w, "amount");
        var unitText = wf.String(w, "unit") ?? "days";
        if (amount is null)
        {
            wf.Errors.Add(wf.Field("amount"), "\"amount\" is required: a whole number of days or hours.");
        }
        if (unitText is not ("days" or "hours"))
        {
            wf.Errors.Add(wf.Field("unit"), "\"unit\" is days or hours.");
        }
        return new FunnelWindow(amount ?? 0, unitText == "hours" ? WindowUnit.Hours : WindowUnit.Days);
    }
}
