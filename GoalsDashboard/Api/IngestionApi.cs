using System.Security.Claims;
using System.Text.Json;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary>Tracked data: events, property changes, recorded conversions and external matches (scope events:write).</summary>
public static class IngestionApi
{
    public static RouteGroupBuilder MapIngestionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestEventsAsync).RequireAuthorization(ApiScopes.EventsWrite).WithTags("Ingestion")
            .Documented<EventsAccepted>("trackEvents", "Tracks one event or a batch of up to 1,000 (all or nothing; repeated event ids are skipped)", 202, 400, 413, 422)
            .WithBody<EventInput>(ApiExamples.Events, orArray: IngestionLimits.MaxBatch);
        api.MapPost("/profiles/{profile_id}/properties", SetPropertiesAsync).RequireAuthorization(ApiScopes.EventsWrite).WithTags("Ingestion")
            .Documented<AcceptedCount>("setProfileProperties", "Sets a profile's properties at a moment", 202, 400, 413, 422)
            .WithBody<PropertiesInput>(ApiExamples.Properties);
        api.MapPost("/conversions", RecordConversionAsync).RequireAuthorization(ApiScopes.EventsWrite).WithTags("Ingestion")
            .Documented<ConversionResponse>("recordConversion", "Records a conversion of a goal by name (a tracked-conversion goal is created when missing)", 201, 400, 422)
            .WithBody<ConversionInput>(ApiExamples.Conversion);
        api.MapPost("/goals/{id:guid}/matches", MatchAsync).RequireAuthorization(ApiScopes.EventsWrite).WithTags("Ingestion")
            .Documented<MatchResponse>("recordMatch", "Records an offline match, linked to the profile's most recent activity before it", 201, 400, 404, 422)
            .WithBody<MatchInput>(ApiExamples.Match);
        return api;
    }

    private static async Task<IResult> IngestEventsAsync(HttpRequest request, IngestionService ingestion, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadJsonAsync(request, IngestionLimits.MaxBodyBytes);
        if (error is not null)
        {
            return error;
        }
        var isArray = body.ValueKind == JsonValueKind.Array;
        if (!isArray && body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("Send one event (a JSON object) or an array of events.");
        }
        var items = isArray ? body.EnumerateArray().ToList() : [body];
        if (items.Count > IngestionLimits.MaxBatch)
        {
            return ApiProblems.Validation("events", $"Send at most {IngestionLimits.MaxBatch} events at once; this batch has {items.Count}.");
        }
        if (items.Count == 0)
        {
            return ApiProblems.Validation("events", "The batch is empty.");
        }
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var events = new List<IncomingEvent>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var incoming = EventValidator.ReadEvent(items[i], isArray ? $"[{i}]." : "", now, errors);
            if (incoming is not null)
            {
                events.Add(incoming);
            }
        }
        if (errors.Any)
        {
            // Atomic: one bad event stores nothing.
            return ApiProblems.Validation(errors.ToDictionary(), "Nothing was stored: " + string.Join(" ", errors.ToDictionary().Take(3).Select(e => $"{e.Key}: {e.Value[0]}")));
        }
        var result = await ingestion.IngestAsync(events, now, ct);
        return TypedResults.Accepted((string?)null, new EventsAccepted(result.Accepted, result.Duplicates));
    }

    private static async Task<IResult> SetPropertiesAsync(string profile_id, HttpRequest request, IngestionService ingestion, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadJsonAsync(request, IngestionLimits.MaxBodyBytes);
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var profileId = profile_id.Trim();
        if (profileId.Length is 0 or > Profile.MaxExternalIdLength)
        {
            errors.Add("profile_id", $"The profile id is 1 to {Profile.MaxExternalIdLength} characters.");
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("properties", out var properties))
        {
            return ApiProblems.Validation("properties", "Send {\"properties\": {key: value, …}, \"timestamp\"?}.");
        }
        var now = clock.GetUtcNow();
        var changes = EventValidator.ReadPropertyChanges(properties, "properties", errors);
        var at = EventValidator.Timestamp(body, "timestamp", now, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        await ingestion.SetPropertiesAsync(profileId, changes, at, ct);
        return TypedResults.Accepted((string?)null, new AcceptedCount(changes.Count));
    }

    private static async Task<IResult> RecordConversionAsync(HttpRequest request, IngestionService ingestion, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, 64 * 1024, "Send {\"goal\", \"profile_id\", \"timestamp\"?, \"value\"?}.");
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var goal = f.String(body, "goal", required: true)?.Trim();
        var profileId = f.String(body, "profile_id", required: true)?.Trim();
        var value = f.Amount(body, "value", "The value");
        var now = clock.GetUtcNow();
        var at = EventValidator.Timestamp(body, "timestamp", now, errors);
        if (goal is { Length: 0 or > GoalRules.MaxNameLength })
        {
            errors.Add("goal", $"The goal name is 1 to {GoalRules.MaxNameLength} characters.");
        }
        if (profileId is { Length: 0 or > Profile.MaxExternalIdLength })
        {
            errors.Add("profile_id", $"The profile id is 1 to {Profile.MaxExternalIdLength} characters.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        var result = await ingestion.RecordConversionAsync(goal!, profileId!, at, value, GoalsApi.UserName(user), ct);
        return TypedResults.Created($"/api/v1/goals/{result.GoalId}",
            new ConversionResponse(result.GoalId, result.ProfileId, result.Timestamp, result.GoalCreated));
    }

    private static async Task<IResult> MatchAsync(Guid id, HttpRequest request, IngestionService ingestion, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ApiProblems.ReadObjectAsync(request, 64 * 1024, "Send {\"visitor_identity\", \"goal_matched_at\", \"goal_value\"?, \"sites\"?}.");
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var f = new JsonFields(errors);
        var visitor = f.String(body, "visitor_identity", required: true)?.Trim();
        var value = f.Amount(body, "goal_value", "The value");
        var sites = f.StringArray(body, "sites");
        var now = clock.GetUtcNow();
        if (!JsonFields.Has(body, "goal_matched_at"))
        {
            errors.Add("goal_matched_at", "goal_matched_at is required (ISO 8601).");
        }
        var matchedAt = EventValidator.Timestamp(body, "goal_matched_at", now, errors, "goal_matched_at");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        var (result, notFound) = await ingestion.MatchAsync(id, visitor!, matchedAt, value, sites, ct);
        if (result is null)
        {
            return ApiProblems.NotFound(notFound!);
        }
        return TypedResults.Created($"/api/v1/goals/{id}",
            new MatchResponse(result.GoalId, result.ProfileId, result.MatchedAt, result.LinkedEventId));
    }
}
