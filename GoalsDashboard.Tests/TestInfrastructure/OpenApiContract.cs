using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// Checks answers of <c>/api/v1</c> against the app's own OpenAPI document (docs/api.md): the status must be one the
/// operation lists, and a body must match the schema listed for that status and content type (JsonSchema.Net, JSON
/// Schema 2020-12 as OpenAPI 3.1 uses). Every API test's client runs each answer through it
/// (<see cref="GoalsAppFactory.CheckedClient"/>), so the documents cannot drift from the code.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template, int Literals)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _paths = _document["paths"]!.AsObject().Select(p => (
            new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"), p.Key, p.Key.Count(c => c == '{') * -1)).ToList();
    }

    public JsonObject Document => _document;

    /// <summary>Why <paramref name="body"/> is not a valid <paramref name="status"/> answer of the operation, or null when it is.</summary>
    public string? Check(string method, string path, HttpStatusCode status, string? contentType, string body)
    {
        var template = _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literals).Select(p => p.Template).FirstOrDefault();
        if (template is null || _document["paths"]![template]![method.ToLowerInvariant()] is not JsonObject operation)
        {
            return $"{method} {path} answered {(int)status}, but the document has no such operation.";
        }
        var name = $"{method.ToUpperInvariant()} {template}";
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation["responses"]?[code] is not JsonObject response)
        {
            return $"{name} answered {code}, which the document does not list ({string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))}).";
        }
        var mediaType = contentType?.Split(';')[0].Trim();
        var schema = mediaType is null ? null : response["content"]?[mediaType]?["schema"];
        if (schema is null)
        {
            return body.Length > 0 && (int)status is >= 200 and < 300
                ? $"{name} answered {code} with a {mediaType} body the document gives no schema for."
                : null;
        }
        var key = $"{name} {code} {mediaType}";
        var compiled = _schemas.GetOrAdd(key, _ => Compile(schema));
        using var json = JsonDocument.Parse(body.Length == 0 ? "null" : body);
        var results = compiled.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return null;
        }
        return $"{name} answered {code} with a body that does not match its schema: {Errors(results)}\n{Truncate(body)}";
    }

    /// <summary>Why <paramref name="json"/> is not a valid request body of the operation, or null when it is.</summary>
    public string? CheckRequest(string method, string template, string json)
    {
        var schema = _document["paths"]![template]![method.ToLowerInvariant()]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var compiled = _schemas.GetOrAdd($"request {method} {template}", _ => Compile(schema));
        using var body = JsonDocument.Parse(json);
        var results = compiled.Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? null : $"{method} {template}: the example does not match the request schema: {Errors(results)}";
    }

    /// <summary>The schema with the document's components beside it, its references pointed at them.</summary>
    private JsonSchema Compile(JsonNode schema)
    {
        var defs = Rewrite(_document["components"]?["schemas"]?.DeepClone() ?? new JsonObject());
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://goalsdashboard.test/schemas/{Guid.NewGuid():N}",
            ["$defs"] = defs,
            ["allOf"] = new JsonArray(Rewrite(schema.DeepClone())),
        };
        return JsonSchema.FromText(root.ToJsonString());
    }

    private static JsonNode Rewrite(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!;

    private static string Errors(EvaluationResults results) => string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
        .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(8));

    private static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "…";
}

/// <summary>Runs every answer through the <see cref="OpenApiContract"/> of its path (none: not checked); a mismatch fails the request.</summary>
public sealed class ContractCheckingHandler(Func<string, Task<OpenApiContract>?> contractOf) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (contractOf(path) is not { } contract)
        {
            return response;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = (await contract).Check(request.Method.Method, path, response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        if (problem is not null)
        {
            throw new OpenApiContractException(problem);
        }
        return response;
    }
}

public sealed class OpenApiContractException(string message) : Exception(message);
