using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary><c>/api/v1/segments</c>: list, create, read, replace and delete segments; reads carry the member count.</summary>
public static class SegmentsApi
{
    private const long MaxBody = 64 * 1024;

    public static RouteGroupBuilder MapSegmentEndpoints(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/segments").WithTags("Segments");
        segments.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<IReadOnlyList<SegmentResponse>>("listSegments", "Lists segments with their member counts", 200);
        segments.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<SegmentResponse>("createSegment", "Creates a segment", 201, 400, 422)
            .WithBody<SegmentInput>(ApiExamples.Segment);
        segments.MapGet("/{id:int}", GetAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<SegmentResponse>("getSegment", "Gets one segment", 200, 404);
        segments.MapPut("/{id:int}", ReplaceAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<SegmentResponse>("replaceSegment", "Replaces a segment", 200, 400, 404, 422)
            .WithBody<SegmentInput>(ApiExamples.Segment);
        segments.MapGet("/{id:int}/history", (int id, HttpRequest request, HistoryService history, SegmentService service, string? page, string? page_size, CancellationToken ct) =>
                HistoryEndpoint.PageAsync(history, "segment", id.ToString(CultureInfo.InvariantCulture), request, page, page_size,
                    async () => await service.GetAsync(id, ct) is not null, $"No segment has the id {id}.", ct))
            .RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<HistoryPage>("getSegmentHistory", "A segment's history, newest first, paged: who created, edited or deleted it, with each field before and after", 200, 404, 422);
        segments.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented("deleteSegment", "Deletes a segment", 204, 404);
        return api;
    }

    private static async Task<IResult> ListAsync(SegmentService segments, CancellationToken ct) =>
        TypedResults.Ok((await segments.ListAsync(ct)).Select(SegmentResponse.From).ToList());

    private static async Task<IResult> GetAsync(int id, SegmentService segments, CancellationToken ct) =>
        await segments.GetAsync(id, ct) is { } item ? TypedResults.Ok(SegmentResponse.From(item)) : ApiProblems.NotFound($"No segment has the id {id}.");

    private static async Task<IResult> CreateAsync(HttpRequest request, SegmentService segments, ClaimsPrincipal user, CancellationToken ct)
    {
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        var segment = await segments.CreateAsync(draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Created($"/api/v1/segments/{segment.Id}", SegmentResponse.From((await segments.GetAsync(segment.Id, ct))!));
    }

    private static async Task<IResult> ReplaceAsync(int id, HttpRequest request, SegmentService segments, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await segments.GetAsync(id, ct) is null)
        {
            return ApiProblems.NotFound($"No segment has the id {id}.");
        }
        var (draft, error) = await ReadDraftAsync(request);
        if (error is not null)
        {
            return error;
        }
        await segments.UpdateAsync(id, draft!, GoalsApi.UserName(user), ct);
        return TypedResults.Ok(SegmentResponse.From((await segments.GetAsync(id, ct))!));
    }

    private static async Task<IResult> DeleteAsync(int id, SegmentService segments, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            await segments.DeleteAsync(id, GoalsApi.UserName(user), ct);
            return TypedResults.NoContent();
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.NotFound($"No segment has the id {id}.");
        }
    }

    private static async Task<(SegmentDraft? Draft, IResult? Error)> ReadDraftAsync(HttpRequest request)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, MaxBody, "A segment is a JSON object: {\"name\", \"conditions\": [...]}.");
        if (error is not null)
        {
            return (null, error);
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var items = f.Array(body, "conditions");
        var conditions = new List<SegmentCondition>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            conditions.Add(ReadCondition(items[i], f.Nested($"conditions[{i}]")));
        }
        var draft = new SegmentDraft(f.String(body, "name"), conditions);
        if (errors.Any)
        {
            return (null, ApiProblems.Validation(errors.ToDictionary()));
        }
        // A broken rule (thrown) is answered 422 by the API's filter.
        return (SegmentRules.Normalize(draft), null);
    }

    private static SegmentCondition ReadCondition(JsonElement json, JsonFields f)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            f.Errors.Add(f.Field("kind"), "A condition must be a JSON object.");
            return new SegmentCondition(SegmentField.Property, null, Operator.Equals, null);
        }
        var kindText = f.String(json, "kind") ?? "property";
        SegmentField? field = kindText switch
        {
            "property" => SegmentField.Property,
            "first_channel" => SegmentField.FirstChannel,
            "first_site" => SegmentField.FirstSite,
            _ => null,
        };
        if (field is null)
        {
            f.Errors.Add(f.Field("kind"), $"\"{kindText}\" cannot be a segment condition; segments test profiles: property, first_channel or first_site.");
            field = SegmentField.Property;
        }
        var operatorText = f.String(json, "operator");
        var op = Operator.Equals;
        if (operatorText is null)
        {
            f.Errors.Add(f.Field("operator"), "Choose an operator: equals, not_equals, contains, not_contains, starts_with, greater_than, greater_or_equal, less_than, less_or_equal, exists, not_exists, one_of.");
        }
        else if (!OperatorExtensions.TryParseWire(operatorText, out op))
        {
            f.Errors.Add(f.Field("operator"), $"\"{operatorText}\" is not an operator.");
        }
        if (op == Operator.OneOf && JsonFields.Has(json, "value"))
        {
            f.Errors.Add(f.Field("value"), "one_of compares with \"values\", a list of strings; leave \"value\" out.");
        }
        else if (op != Operator.OneOf && JsonFields.Has(json, "values"))
        {
            f.Errors.Add(f.Field("values"), "\"values\" is for one_of; other operators compare with \"value\".");
        }
        return new SegmentCondition(field.Value, field == SegmentField.Property ? f.String(json, "key") : null, op, f.String(json, "value"), f.Bool(json, "negate"),
            op == Operator.OneOf ? f.StringArray(json, "values") : null);
    }
}
