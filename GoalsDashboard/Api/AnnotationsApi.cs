using System.Security.Claims;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary>
/// <c>/api/v1/annotations</c>: the workspace's notes on days, shown on every trend chart (docs/analytics.md,
/// "Annotations"); a deploy script or a campaign tool can mark its day here.
/// </summary>
public static class AnnotationsApi
{
    private const long MaxBody = 8 * 1024;

    public static RouteGroupBuilder MapAnnotationEndpoints(this RouteGroupBuilder api)
    {
        var annotations = api.MapGroup("/annotations").WithTags("Annotations");
        annotations.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.GoalsRead)
            .Documented<IReadOnlyList<AnnotationResponse>>("listAnnotations", "Lists the notes on the days from `from` to `to` (default: the last 90 days), by day", 200, 422);
        annotations.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented<AnnotationResponse>("createAnnotation", "Adds a note on a day", 201, 400, 422)
            .WithBody<AnnotationInput>(ApiExamples.Annotation);
        annotations.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(ApiScopes.GoalsWrite)
            .Documented("deleteAnnotation", "Removes a note", 204, 404);
        return api;
    }

    private static async Task<IResult> ListAsync(string? from, string? to, AnnotationService annotations, AnalyticsService analytics, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var last = Day(to, "to", errors) ?? analytics.Today;
        var first = Day(from, "from", errors) ?? last.AddDays(-89);
        if (!errors.Any && first > last)
        {
            errors.Add("from", "from is after to.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok((await annotations.ListAsync(first, last, ct)).Select(AnnotationResponse.From).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, AnnotationService annotations, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, MaxBody, "A note is a JSON object: {\"date\": \"YYYY-MM-DD\", \"text\"}.");
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var date = Day(f.String(body, "date", required: true), "date", errors);
        if (date is null && !errors.Has("date"))
        {
            errors.Add("date", "Give the day, written as YYYY-MM-DD.");
        }
        var text = f.String(body, "text", required: true);
        if (date is null && !errors.Has("text"))
        {
            AnnotationService.CheckText(text, errors); // every problem at once
        }
        if (errors.Any || date is null)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        // A broken rule (thrown) is answered 422 by the API's filter.
        var added = await annotations.AddAsync(date.Value, text, GoalsApi.UserName(user), ct);
        return TypedResults.Created($"/api/v1/annotations/{added.Id}", AnnotationResponse.From(added));
    }

    private static async Task<IResult> DeleteAsync(int id, AnnotationService annotations, CancellationToken ct) =>
        await annotations.DeleteAsync(id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound($"No note has the id {id}.");

    private static DateOnly? Day(string? text, string field, ValidationErrors errors)
    {
        var day = QueryText.ParseDate(text, field, out var problem);
        if (problem is not null)
        {
            errors.Add(field, problem);
        }
        return day;
    }
}
