using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary><c>/api/v1/goals</c>: list, create (upsert, bulk), read, replace, patch, archive and delete goals.</summary>
public static class GoalsApi
{
    public const int MaxBulk = 8;
    private const long MaxBody = 1024 * 1024;

    public static RouteGroupBuilder MapGoalEndpoints(this RouteGroupBuilder api)
    {
        var goals = api.MapGroup("/goals").WithTags("Goals");
        goals.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<GoalPage>("listGoals", "Lists goals, paged", 200, 422);
        goals.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .DocumentedOneOrMany<GoalResponse>("createGoals", "Creates a goal, or up to 8 (an array); an active goal with the same definition is returned instead of a duplicate", 201, MaxBulk, 400, 422)
            .WithBody<GoalInput>(ApiExamples.Goal, orArray: MaxBulk);
        goals.MapGet("/{id:guid}", GetAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<GoalResponse>("getGoal", "Gets one goal, with its version as the ETag", 200, 404);
        goals.MapPut("/{id:guid}", ReplaceAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<GoalResponse>("replaceGoal", "Replaces a goal (If-Match with the ETag guards against lost updates)", 200, 400, 404, 409, 422)
            .WithBody<GoalInput>(ApiExamples.Goal);
        goals.MapPatch("/{id:guid}", PatchAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<GoalResponse>("patchGoal", "Changes some fields of a goal (JSON merge patch)", 200, 400, 404, 409, 422)
            .WithBody<GoalPatchInput>(ApiExamples.GoalPatch);
        goals.MapGet("/{id:guid}/history", HistoryAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<HistoryPage>("getGoalHistory", "A goal's history, newest first, paged: who created, edited, archived, restored, deleted it or changed its campaigns, with each field before and after", 200, 404, 422);
        goals.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<GoalResponse>("deleteGoal", "Archives a goal (200 with the goal), or deletes it with permanent=true and an admin token (204)", 200, 204, 404, 422);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, GoalService service, string? status, string? page, string? page_size, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var pageNumber = Paging.Positive(page, 1, "page", int.MaxValue, errors);
        var size = Paging.Positive(page_size, 20, "page_size", 100, errors);
        GoalStatus? filter = status switch
        {
            null or "" => null,
            "active" => GoalStatus.Active,
            "archived" => GoalStatus.Archived,
            _ => null,
        };
        if (status is not (null or "" or "active" or "archived"))
        {
            errors.Add("status", "status is active or archived.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        var (items, total) = await service.PageAsync(filter, pageNumber, size, ct);
        string? Link(int p) => $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?page={p}&page_size={size}{(filter is null ? "" : $"&status={status}")}";
        return TypedResults.Ok(new GoalPage(items.Select(i => GoalResponse.From(i.Goal, i.CampaignKeys)).ToList(), total,
            pageNumber * size < total ? Link(pageNumber + 1) : null,
            pageNumber > 1 ? Link(Math.Min(pageNumber - 1, Math.Max(1, (total + size - 1) / size))) : null));
    }

    private static Task<IResult> HistoryAsync(Guid id, HttpRequest request, HistoryService history, GoalService goals, string? page, string? page_size,
        CancellationToken ct) =>
        HistoryEndpoint.PageAsync(history, "goal", id.ToString("D"), request, page, page_size, async () => await goals.GetAsync(id, ct) is not null,
            $"There is no goal {id}.", ct);

    private static async Task<IResult> CreateAsync(HttpRequest request, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadJsonAsync(request, MaxBody);
        if (error is not null)
        {
            return error;
        }
        var isArray = body.ValueKind == JsonValueKind.Array;
        var items = isArray ? body.EnumerateArray().ToList() : [body];
        if (isArray && (items.Count == 0 || items.Count > MaxBulk))
        {
            return ApiProblems.Validation("goals", $"Send 1 to {MaxBulk} goals at once; this request has {items.Count}.");
        }

        // Validate every item before creating any: one invalid goal creates nothing.
        var drafts = new List<GoalDraft>();
        var errors = new ValidationErrors();
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = isArray ? $"[{i}]" : "";
            var fieldErrors = new ValidationErrors();
            var draft = GoalJson.ReadDraft(items[i], new JsonFields(fieldErrors, prefix));
            if (!fieldErrors.Any)
            {
                try
                {
                    draft = GoalRules.Normalize(draft);
                }
                catch (DomainValidationException ex)
                {
                    foreach (var (key, messages) in ex.Errors)
                    {
                        messages.ToList().ForEach(m => fieldErrors.Add(isArray ? $"[{i}].{key}" : key, m));
                    }
                }
            }
            foreach (var (key, messages) in fieldErrors.ToDictionary())
            {
                messages.ToList().ForEach(m => errors.Add(key, m));
            }
            drafts.Add(draft);
        }
        var duplicateNames = drafts.GroupBy(d => d.Name?.ToUpperInvariant()).Where(g => g.Key is not null && g.Count() > 1).Select(g => g.Key).ToHashSet();
        for (var i = 0; i < drafts.Count && isArray; i++)
        {
            if (duplicateNames.Contains(drafts[i].Name?.ToUpperInvariant()))
            {
                errors.Add($"[{i}].name", $"The name \"{drafts[i].Name}\" appears more than once in this request.");
            }
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var created = await service.CreateManyAsync(drafts, UserName(user), ct);
        if (created.Error is { } failure)
        {
            return ApiProblems.Validation(failure.Errors.ToDictionary(e => (isArray ? $"[{created.FailedIndex}]." : "") + e.Key, e => e.Value));
        }
        var responses = created.Goals.Select(g => GoalResponse.From(g.Goal, g.CampaignKeys)).ToList();
        return isArray
            ? TypedResults.Created("/api/v1/goals", responses)
            : TypedResults.Created($"/api/v1/goals/{responses[0].Id}", responses[0]);
    }

    private static async Task<IResult> GetAsync(Guid id, GoalService service, HttpResponse response, CancellationToken ct)
    {
        var found = await service.GetAsync(id, ct);
        if (found is not { } item)
        {
            return ApiProblems.NotFound($"There is no goal {id}.");
        }
        response.Headers.ETag = ETag(item.Goal.Version);
        return TypedResults.Ok(GoalResponse.From(item.Goal, item.CampaignKeys));
    }

    private static async Task<IResult> ReplaceAsync(Guid id, HttpRequest request, HttpResponse response, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadJsonAsync(request, MaxBody);
        return error ?? await SaveAsync(id, body, request, response, service, user, ct);
    }

    /// <summary>JSON merge patch (RFC 7396) over the goal's current representation, then saved like PUT.</summary>
    private static async Task<IResult> PatchAsync(Guid id, HttpRequest request, HttpResponse response, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, MaxBody, "A merge patch is a JSON object.");
        if (error is not null)
        {
            return error;
        }
        var found = await service.GetAsync(id, ct);
        if (found is not { } item)
        {
            return ApiProblems.NotFound($"There is no goal {id}.");
        }
        var current = JsonSerializer.SerializeToNode(GoalResponse.From(item.Goal, item.CampaignKeys), ApiJson.Options)!;
        var merged = MergePatch(current, JsonNode.Parse(body.GetRawText()));
        return await SaveAsync(id, JsonSerializer.SerializeToElement(merged, ApiJson.Options), request, response, service, user, ct);
    }

    private static async Task<IResult> SaveAsync(Guid id, JsonElement body, HttpRequest request, HttpResponse response, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!TryIfMatch(request, out var expected))
        {
            return ApiProblems.BadRequest("If-Match must be the ETag of the goal, such as \"3\".");
        }
        var errors = new ValidationErrors();
        var draft = GoalJson.ReadDraft(body, new JsonFields(errors));
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        // "status" in a PUT/PATCH body archives or restores.
        var status = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        try
        {
            var goal = await service.ReplaceAsync(id, draft, expected, UserName(user), ct);
            if (status is "archived" or "active")
            {
                var wanted = status == "active" ? GoalStatus.Active : GoalStatus.Archived;
                if (goal.Status != wanted)
                {
                    goal = await service.SetStatusAsync(id, wanted, UserName(user), goal.Version, ct);
                }
            }
            var saved = (await service.GetAsync(id, ct))!.Value;
            response.Headers.ETag = ETag(saved.Goal.Version);
            return TypedResults.Ok(GoalResponse.From(saved.Goal, saved.CampaignKeys));
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.NotFound($"There is no goal {id}.");
        }
    }

    private static async Task<IResult> DeleteAsync(Guid id, bool? permanent, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            if (permanent == true)
            {
                if (!user.HasClaim(ApiTokenAuthenticationHandler.AdminClaim, "true"))
                {
                    return ApiProblems.Forbidden("Only tokens created by an Admin can delete goals permanently; archive it instead (DELETE without permanent=true).");
                }
                await service.DeleteAsync(id, UserName(user), ct);
                return TypedResults.NoContent();
            }
            var goal = await service.SetStatusAsync(id, GoalStatus.Archived, UserName(user), ct: ct);
            var saved = (await service.GetAsync(goal.Id, ct))!.Value;
            return TypedResults.Ok(GoalResponse.From(saved.Goal, saved.CampaignKeys));
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.NotFound($"There is no goal {id}.");
        }
    }

    public static string ETag(int version) => $"\"{version}\"";

    private static bool TryIfMatch(HttpRequest request, out int? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }
        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (int.TryParse(text.Trim('"'), out var v))
        {
            version = v;
            return true;
        }
        return false;
    }

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }
        return result;
    }

    public static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "api";
}
