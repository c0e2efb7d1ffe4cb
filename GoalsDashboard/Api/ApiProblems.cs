using System.Text.Json;
using GoalsDashboard.Domain;
using Microsoft.AspNetCore.Http.Features;

namespace GoalsDashboard.Api;

/// <summary>RFC 7807 answers with the status codes of PRODUCT.md section 5.</summary>
public static class ApiProblems
{
    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), detail: detail ?? string.Join(" ", errors.SelectMany(e => e.Value).Take(3)),
            statusCode: StatusCodes.Status422UnprocessableEntity, title: "The request is not valid");

    public static IResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult BadRequest(string detail) =>
        Results.Problem(title: "Malformed request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) =>
        Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) =>
        Results.Problem(title: "Edited by someone else", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Not allowed", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult TooLarge(long maxBytes) =>
        Results.Problem(title: "Request too large", detail: $"The body is larger than {maxBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Reads the body as JSON, answering 400 for malformed JSON and 413 past <paramref name="maxBytes"/>.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadJsonAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge(maxBytes));
        }
    }

    /// <summary>Like <see cref="ReadJsonAsync"/>, and a body that is not a JSON object is 400 with <paramref name="shape"/> saying what to send.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request, long maxBytes, string shape)
    {
        var (body, error) = await ReadJsonAsync(request, maxBytes);
        return error is not null ? (body, error)
            : body.ValueKind != JsonValueKind.Object ? (body, BadRequest(shape))
            : (body, null);
    }

    public static IResult From(DomainValidationException ex, string prefix = "") =>
        Validation(ex.Errors.ToDictionary(e => prefix + e.Key, e => e.Value));
}
