using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary>
/// <c>/api/plugins/v1/goals</c>: the goals part of Plausible's Plugins API, so that clients written for it work
/// unchanged (docs/api.md, "Plausible Plugins API"). Ids are the goals' workspace-wide numbers; a goal shows here when
/// it is one event or page-view condition; delete archives.
/// </summary>
public static class PluginsApi
{
    public const string Prefix = "/api/plugins/v1";
    public const string Realm = "Plugins API Access";
    public const string Tag = "Plugins API: goals";
    public const int MaxBulk = 8;
    public const int MaxCustomProps = 3;
    private const int DefaultLimit = 10;
    private const long MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapPluginsApi(this IEndpointRouteBuilder endpoints)
    {
        var goals = endpoints.MapGroup(Prefix + "/goals").AddEndpointFilter(ApiSetup.LimitRequestsAsync).DisableAntiforgery().WithTags(Tag);
        goals.MapPut("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Produces<PluginGoalList>(StatusCodes.Status201Created)
            .DocumentedPlugin("pluginsGetOrCreateGoals", "Gets or creates one goal, or up to 8 (all or nothing); an archived goal is restored", 400, 401, 403, 413, 422)
            .WithBody<PluginGoalInput>(PluginExamples.Goals, "goals", MaxBulk);
        goals.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Produces<PluginGoalList>()
            .DocumentedPlugin("pluginsListGoals", "Lists goals, newest first, a page at a time (limit, after, before)", 401, 403);
        goals.MapGet("/{id}", GetAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Produces<PluginGoalResponse>()
            .DocumentedPlugin("pluginsGetGoal", "Gets one goal by its number", 401, 403, 404, 422);
        goals.MapDelete("/{id}", DeleteAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .DocumentedPlugin("pluginsDeleteGoal", "Deletes (archives) one goal", 204, 401, 403, 404, 422);
        goals.MapDelete("/", DeleteManyAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .DocumentedPlugin("pluginsDeleteGoals", "Deletes (archives) several goals by number", 204, 400, 401, 403, 413, 422)
            .WithBody<PluginDeleteInput>(PluginExamples.Delete);
        return endpoints;
    }

    /// <summary>Whether a request is one of this API's (its answers to failed authentication are upstream's).</summary>
    public static bool Handles(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static JsonObject Errors(params string[] details) =>
        new() { ["errors"] = new JsonArray(details.Select(d => (JsonNode)new JsonObject { ["detail"] = d }).ToArray()) };

    internal static IResult Error(int status, params string[] details) => TypedResults.Json(Errors(details), statusCode: status);

    private static IResult NotFound() => Error(StatusCodes.Status404NotFound, "Plugins API: resource not found");

    private static async Task<IResult> CreateAsync(HttpRequest request, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        var schema = new PluginSchemaErrors();
        var items = ParseCreate(body, schema);
        if (schema.Any)
        {
            return schema.Result();
        }
        foreach (var item in items)
        {
            if (item.Invalid() is { } invalid)
            {
                return Error(StatusCodes.Status422UnprocessableEntity, invalid);
            }
        }

        var all = await service.AllAsync(ct);
        var found = new Goal?[items.Count];
        var drafts = new List<GoalDraft>();
        var names = all.Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var match = all.Where(g => PluginGoal.Of(g) is { } p && p.Key == item.Key)
                .OrderBy(g => g.Status == GoalStatus.Active ? 0 : 1).ThenByDescending(g => g.Number).FirstOrDefault();
            if (match is not null && item.Type == PluginGoalType.Revenue && !string.Equals(match.Currency, item.Currency, StringComparison.Ordinal))
            {
                return Error(StatusCodes.Status422UnprocessableEntity, match.Currency is null
                    ? $"event_name: '{item.Name}' has already been taken"
                    : $"event_name: '{item.Name}' (with currency: {match.Currency}) has already been taken");
            }
            found[i] = match;
            if (match is null && items.Take(i).All(other => other.Key != item.Key))
            {
                drafts.Add(item.Draft(FreeName(item.DisplayName, names)));
            }
        }

        var (created, error, _) = drafts.Count == 0 ? ([], null, -1) : await service.CreateManyAsync(drafts, GoalsApi.UserName(user), ct);
        if (error is not null)
        {
            return Error(StatusCodes.Status422UnprocessableEntity, error.Errors.SelectMany(e => e.Value.Select(m => $"{PluginField(e.Key)}: {m}")).ToArray());
        }
        var byKey = created.Select(c => c.Goal).Where(g => PluginGoal.Of(g) is not null).ToDictionary(g => PluginGoal.Of(g)!.Key);
        var answer = new List<Goal>();
        for (var i = 0; i < items.Count; i++)
        {
            var goal = found[i] ?? byKey[items[i].Key];
            if (goal.Status == GoalStatus.Archived)
            {
                goal = await service.SetStatusAsync(goal.Id, GoalStatus.Active, GoalsApi.UserName(user), ct: ct);
                found[i] = goal;
            }
            answer.Add(goal);
        }
        foreach (var goal in answer)
        {
            request.HttpContext.Response.Headers.Append("Location", $"{BaseUrl(request)}/goals/{goal.Number}");
        }
        return TypedResults.Json(new JsonObject
        {
            ["goals"] = new JsonArray(answer.Select(g => (JsonNode)PluginGoal.Of(g)!.ToJson()).ToArray()),
            ["meta"] = Pagination(false, false, null, null),
        }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, GoalService service, string? limit, string? after, string? before, CancellationToken ct)
    {
        var size = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 100 ? l : DefaultLimit;
        var listed = (await service.AllAsync(ct)).Where(g => g.Status == GoalStatus.Active && PluginGoal.Of(g) is not null)
            .OrderByDescending(g => g.Number).ToList();
        List<Goal> page;
        if (Cursor(before) is { } upTo)
        {
            page = listed.Where(g => g.Number > upTo).TakeLast(size).ToList();
        }
        else
        {
            var from = Cursor(after);
            page = listed.Where(g => from is null || g.Number < from).Take(size).ToList();
        }
        var hasNext = page.Count > 0 && listed.Any(g => g.Number < page[^1].Number);
        var hasPrev = page.Count > 0 && listed.Any(g => g.Number > page[0].Number);
        var link = $"{BaseUrl(request)}/goals?limit={size}";
        return TypedResults.Json(new JsonObject
        {
            ["goals"] = new JsonArray(page.Select(g => (JsonNode)PluginGoal.Of(g)!.ToJson()).ToArray()),
            ["meta"] = Pagination(hasNext, hasPrev,
                hasNext ? $"{link}&after={Uri.EscapeDataString(CursorOf(page[^1].Number))}" : null,
                hasPrev ? $"{link}&before={Uri.EscapeDataString(CursorOf(page[0].Number))}" : null),
        });
    }

    private static async Task<IResult> GetAsync(string id, GoalService service, CancellationToken ct)
    {
        if (!int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return InvalidInteger("/id", id);
        }
        var goal = await VisibleAsync(service, number, ct);
        return goal is null ? NotFound() : TypedResults.Json(PluginGoal.Of(goal)!.ToJson());
    }

    private static async Task<IResult> DeleteAsync(string id, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return InvalidInteger("/id", id);
        }
        await ArchiveAsync(service, [number], user, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteManyAsync(HttpRequest request, GoalService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        var schema = new PluginSchemaErrors();
        var numbers = new List<int>();
        if (body is not JsonObject root)
        {
            schema.Add("", $"Invalid object. Got: {Kind(body)}");
        }
        else if (!root.ContainsKey("goal_ids"))
        {
            schema.Add("/goal_ids", "Missing field: goal_ids");
        }
        else if (root["goal_ids"] is not JsonArray ids)
        {
            schema.Add("/goal_ids", $"Invalid array. Got: {Kind(root["goal_ids"])}");
        }
        else
        {
            ArrayLength(ids, "/goal_ids", schema);
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is JsonValue v && v.TryGetValue<int>(out var n))
                {
                    numbers.Add(n);
                }
                else
                {
                    schema.Add($"/goal_ids/{i}", ids[i] is null ? "null value where integer expected" : $"Invalid integer. Got: {Kind(ids[i])}");
                }
            }
        }
        if (schema.Any)
        {
            return schema.Result();
        }
        await ArchiveAsync(service, numbers, user, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Delete archives: the goal keeps its results and shows as archived in the dashboard and the native API.</summary>
    private static async Task ArchiveAsync(GoalService service, IReadOnlyList<int> numbers, ClaimsPrincipal user, CancellationToken ct)
    {
        foreach (var number in numbers.Distinct())
        {
            if (await VisibleAsync(service, number, ct) is { } goal)
            {
                await service.SetStatusAsync(goal.Id, GoalStatus.Archived, GoalsApi.UserName(user), ct: ct);
            }
        }
    }

    private static async Task<Goal?> VisibleAsync(GoalService service, int number, CancellationToken ct) =>
        await service.FindByNumberAsync(number, ct) is { Status: GoalStatus.Active } goal && PluginGoal.Of(goal) is not null ? goal : null;

    private static List<PluginGoalRequest> ParseCreate(JsonNode? body, PluginSchemaErrors schema)
    {
        var items = new List<PluginGoalRequest>();
        if (body is not JsonObject root)
        {
            schema.Add("", $"Invalid object. Got: {Kind(body)}");
            return items;
        }
        if (root.ContainsKey("goals"))
        {
            if (root["goals"] is not JsonArray goals)
            {
                schema.Add("/goals", $"Invalid array. Got: {Kind(root["goals"])}");
                return items;
            }
            ArrayLength(goals, "/goals", schema);
            for (var i = 0; i < goals.Count; i++)
            {
                if (goals[i] is JsonObject one)
                {
                    if (PluginGoalRequest.Parse(one, $"/goals/{i}", schema) is { } item)
                    {
                        items.Add(item);
                    }
                }
                else
                {
                    schema.Add($"/goals/{i}", $"Invalid object. Got: {Kind(goals[i])}");
                }
            }
            return items;
        }
        if (PluginGoalRequest.Parse(root, "", schema) is { } single)
        {
            items.Add(single);
        }
        return items;
    }

    private static void ArrayLength(JsonArray array, string pointer, PluginSchemaErrors schema)
    {
        if (array.Count > MaxBulk)
        {
            schema.Add(pointer, $"Array length {array.Count} is larger than maxItems: {MaxBulk}");
        }
        else if (array.Count == 0)
        {
            schema.Add(pointer, "Array length 0 is smaller than minItems: 1");
        }
    }

    /// <summary>The body as JSON; 415, 400 (malformed, a lone surrogate, NUL) and 413 answer as the native API does.</summary>
    private static async Task<(JsonNode? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadJsonAsync(request, MaxBody);
        return error is not null ? (null, error) : (JsonNode.Parse(body.GetRawText()), null);
    }

    private static IResult InvalidInteger(string pointer, string value) =>
        new PluginSchemaErrors().Add(pointer, $"Invalid integer. Got: {(double.TryParse(value, CultureInfo.InvariantCulture, out _) ? "number" : "string")}").Result();

    internal static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "string",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValue v when v.TryGetValue<long>(out _) => "integer",
        _ => "number",
    };

    private static JsonObject Pagination(bool hasNext, bool hasPrev, string? next, string? prev)
    {
        var links = new JsonObject();
        if (next is not null)
        {
            links["next"] = new JsonObject { ["url"] = next };
        }
        if (prev is not null)
        {
            links["prev"] = new JsonObject { ["url"] = prev };
        }
        return new JsonObject
        {
            ["pagination"] = new JsonObject { ["has_next_page"] = hasNext, ["has_prev_page"] = hasPrev, ["links"] = links },
        };
    }

    /// <summary>Cursors are opaque to clients: a goal number, encoded.</summary>
    private static string CursorOf(int number) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"g:{number.ToString(CultureInfo.InvariantCulture)}"));

    private static int? Cursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("g:", StringComparison.Ordinal) && int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    /// <summary>A goal name not yet taken: the display name, else with " (2)", " (3)"… (names are unique; Plausible's goals have none).</summary>
    private static string FreeName(string wanted, HashSet<string> taken)
    {
        var name = wanted;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = $"{wanted} ({n.ToString(CultureInfo.InvariantCulture)})";
        }
        taken.Add(name);
        return name;
    }

    private static string PluginField(string field) => field switch
    {
        _ when field.EndsWith("event_name", StringComparison.Ordinal) => "event_name",
        _ when field.EndsWith("path", StringComparison.Ordinal) => "path",
        _ when field.Contains("filters", StringComparison.Ordinal) => "custom_props",
        _ => field,
    };
}
