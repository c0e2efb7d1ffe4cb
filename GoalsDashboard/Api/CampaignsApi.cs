using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary><c>/api/v1/campaigns</c>: list, create, read and replace campaigns; import audiences.</summary>
public static class CampaignsApi
{
    private const long MaxBody = 64 * 1024;
    private const long MaxAudienceBody = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapCampaignEndpoints(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<IReadOnlyList<CampaignResponse>>("listCampaigns", "Lists campaigns with their audience size and linked goals", 200);
        campaigns.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<CampaignResponse>("createCampaign", "Creates a campaign; its audience is built from the stored events carrying its key", 201, 400, 422)
            .WithBody<CampaignInput>(ApiExamples.Campaign);
        campaigns.MapGet("/{key}", GetAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<CampaignResponse>("getCampaign", "Gets one campaign by key", 200, 404);
        campaigns.MapPut("/{key}", ReplaceAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<CampaignResponse>("replaceCampaign", "Replaces a campaign (the key is locked once events carry it)", 200, 400, 404, 422)
            .WithBody<CampaignInput>(ApiExamples.Campaign);
        campaigns.MapGet("/{key}/history", HistoryAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<HistoryPage>("getCampaignHistory", "A campaign's history, newest first, paged: who created or edited it, with each field before and after", 200, 404, 422);
        campaigns.MapPost("/{key}/audience", ImportAudienceAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<AcceptedCount>("importCampaignAudience", "Imports audience entries (up to 10,000; all or nothing)", 202, 400, 404, 422)
            .WithBody<AudienceInput>(ApiExamples.Audience);
        return api;
    }

    private static async Task<IResult> ListAsync(CampaignService campaigns, CancellationToken ct)
    {
        var items = await campaigns.ListAsync(ct);
        return TypedResults.Ok(items.Select(i => CampaignResponse.From(i.Campaign, i.AudienceSize, i.Goals.Select(g => g.GoalId))).ToList());
    }

    private static async Task<IResult> GetAsync(string key, CampaignService campaigns, CancellationToken ct)
    {
        var campaign = await campaigns.GetAsync(key, ct);
        return campaign is null
            ? ApiProblems.NotFound($"No campaign has the key \"{key}\".")
            : TypedResults.Ok(await ResponseAsync(campaign, campaigns, ct));
    }

    private static async Task<IResult> HistoryAsync(string key, HttpRequest request, HistoryService history, CampaignService campaigns, string? page,
        string? page_size, CancellationToken ct)
    {
        // A campaign is addressed by its key but its history by its number, which a change of key keeps.
        if (await campaigns.GetAsync(key, ct) is not { } campaign)
        {
            return ApiProblems.NotFound($"No campaign has the key \"{key}\".");
        }
        return await HistoryEndpoint.PageAsync(history, "campaign", campaign.Id.ToString(CultureInfo.InvariantCulture), request, page, page_size,
            () => Task.FromResult(true), "", ct);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, CampaignService campaigns, ClaimsPrincipal user, CancellationToken ct)
    {
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        var campaign = await campaigns.CreateAsync(draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Created($"/api/v1/campaigns/{Uri.EscapeDataString(campaign.Key)}", await ResponseAsync(campaign, campaigns, ct));
    }

    private static async Task<IResult> ReplaceAsync(string key, HttpRequest request, CampaignService campaigns, ClaimsPrincipal user, CancellationToken ct)
    {
        var existing = await campaigns.GetAsync(key, ct);
        if (existing is null)
        {
            return ApiProblems.NotFound($"No campaign has the key \"{key}\".");
        }
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        var campaign = await campaigns.UpdateAsync(existing.Id, draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Ok(await ResponseAsync(campaign, campaigns, ct));
    }

    private static async Task<IResult> ImportAudienceAsync(string key, HttpRequest request, CampaignService campaigns, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await campaigns.GetAsync(key, ct);
        if (campaign is null)
        {
            return ApiProblems.NotFound($"No campaign has the key \"{key}\"; create it first (POST /api/v1/campaigns).");
        }
        var (body, error) = await ApiProblems.ReadJsonAsync(request, MaxAudienceBody);
        if (error is not null)
        {
            return error;
        }
        if (body.ValueKind != JsonValueKind.Object || !JsonFields.Has(body, "entries") || body.GetProperty("entries").ValueKind != JsonValueKind.Array)
        {
            return ApiProblems.Validation("entries", "Send {\"entries\": [{\"profile_id\": \"…\", \"entered_at\": \"…\"}]}.");
        }
        var items = body.GetProperty("entries").EnumerateArray().ToList();
        if (items.Count > CampaignRules.MaxAudienceImport)
        {
            return ApiProblems.Validation("entries", $"Send at most {CampaignRules.MaxAudienceImport:N0} entries at once; this request has {items.Count:N0}.");
        }
        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();
        var rows = new List<AudienceImportRow>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"entries[{i}]";
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                errors.Add(field, "An entry is an object with profile_id and, optionally, entered_at.");
                rows.Add(new AudienceImportRow("-", null));
                continue;
            }
            var f = new JsonFields(errors, field);
            var profile = f.String(items[i], "profile_id");
            DateTimeOffset? entered = JsonFields.Has(items[i], "entered_at")
                ? EventValidator.Timestamp(items[i], f.Field("entered_at"), now, errors, "entered_at")
                : null;
            rows.Add(new AudienceImportRow(profile, entered));
        }
        CampaignService.CheckRows(rows, now, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        var accepted = await campaigns.ImportAudienceAsync(campaign.Id, rows, ct);
        return TypedResults.Accepted((string?)null, new AcceptedCount(accepted));
    }

    private static async Task<(CampaignDraft? Draft, IResult? Error)> ReadDraftAsync(HttpRequest request)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, MaxBody, "A campaign is a JSON object: {\"name\", \"key\", \"channel\", \"starts_on\", \"ends_on\"}.");
        if (error is not null)
        {
            return (null, error);
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var draft = new CampaignDraft(f.String(body, "name"), f.String(body, "key"), f.String(body, "channel"),
            Date(body, "starts_on", errors), Date(body, "ends_on", errors));
        if (errors.Any)
        {
            return (null, ApiProblems.Validation(errors.ToDictionary()));
        }
        // A broken rule (thrown) is answered 422 by the API's filter.
        return (CampaignRules.Normalize(draft), null);
    }

    private static DateOnly? Date(JsonElement body, string name, ValidationErrors errors)
    {
        if (!JsonFields.Has(body, name))
        {
            return null;
        }
        var value = body.GetProperty(name);
        if (value.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(name, $"\"{name}\" is a date such as 2026-03-01.");
        return null;
    }

    private static async Task<CampaignResponse> ResponseAsync(Campaign campaign, CampaignService campaigns, CancellationToken ct)
    {
        var goals = await campaigns.LinkedGoalsAsync(campaign.Id, ct);
        var size = await campaigns.AudienceSizeAsync(campaign.Id, ct);
        return CampaignResponse.From(campaign, size, goals.Select(g => g.Id));
    }
}
