using System.Text.Json;
using GoalsDashboard.Domain;
using Microsoft.AspNetCore.Http.Features;

namespace GoalsDashboard.Api;

/// <summary>RFC 7807 answers with the status codes of docs/api.md.</summary>
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

    public static IResult UnsupportedMediaType() =>
        Results.Problem(title: "Unsupported media type", detail: "Send the body as JSON, with the header Content-Type: application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>
    /// Reads the body as JSON: 415 unless it is declared JSON, 400 for malformed JSON or a string that is not
    /// valid Unicode (a lone surrogate) or holds a NUL character (\u0000): no store can keep either
    /// (docs/api.md, "Text"); 413 past <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadJsonAsync(HttpRequest request, long maxBytes)
    {
        if (!request.HasJsonContentType())
        {
            return (default, UnsupportedMediaType());
        }
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
            if (InvalidText(document.RootElement, "") is { } field)
            {
                return (default, BadRequest($"The text at {(field.Length == 0 ? "the top" : field)} is not valid Unicode (it holds a lone surrogate such as \\ud800)."));
            }
            if (NulText(document.RootElement, "") is { } nul)
            {
                return (default, BadRequest($"The text at {(nul.Length == 0 ? "the top" : nul)} holds a NUL character (\\u0000), which text cannot hold here; leave it out."));
            }
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

    /// <summary>The path of the first string or property name that <paramref name="bad"/> finds wrong (given how to read it), or null.</summary>
    private static string? FirstBadText(JsonElement element, string path, Func<Func<string?>, bool> bad)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return bad(element.GetString) ? path : null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstBadText(item, $"{path}[{i++}]", bad) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (bad(() => property.Name))
                    {
                        return path.Length == 0 ? "a property name" : $"a property name in {path}";
                    }
                    var name = property.Name;
                    if (FirstBadText(property.Value, path.Length == 0 ? name : $"{path}.{name}", bad) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Not valid UTF-16: a lone surrogate.</summary>
    private static string? InvalidText(JsonElement element, string path) => FirstBadText(element, path, read => !Decodes(read));

    /// <summary>Holds U+0000 (checked once the body is known to be valid Unicode).</summary>
    private static string? NulText(JsonElement element, string path) => FirstBadText(element, path, read => read()!.Contains('\0'));

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
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
