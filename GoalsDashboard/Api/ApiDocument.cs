using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace GoalsDashboard.Api;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> (docs/api.md), generated from the endpoints themselves so it cannot drift
/// from them: paths, parameters, operation ids, the schemas of every body (from the types of Api/ApiInputs.cs and
/// Api/ApiContracts.cs), status codes, tags and the token scope each endpoint requires. The API tests
/// check every real answer against it.
/// </summary>
public static class ApiDocument
{
    /// <summary>Served at /api/v1/openapi.json (the route must name the document).</summary>
    public const string Route = "/api/{documentName}/openapi.json";
    private const string TokenScheme = "token";

    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Ingestion"] = "Events, profile properties, conversions and offline matches: what goals are evaluated against.",
        ["Goals"] = "Goal definitions, their figures and their history.",
        ["Funnels"] = "Ordered goals and how many profiles get through each step.",
        ["Campaigns"] = "Campaigns, their audiences and the goals they are measured by.",
        ["Segments"] = "Saved groups of profiles to filter and split figures by.",
    };

    public static IServiceCollection AddGoalsApiDocument(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "GoalsDashboard API",
                Version = "v1",
                Description = "Track events and profile properties, manage goals, campaigns, segments and funnels, and read their figures. " +
                    "JSON field names are snake_case. Errors are problem details (RFC 7807); a 422 names the offending field in `errors`.",
                License = new OpenApiLicense { Name = "Proprietary: for the workspace that runs it" },
            };
            // The server this document was read from, without the trailing slash a linter rejects (paths start with one).
            document.Servers = document.Servers?.Select(s => new OpenApiServer { Url = s.Url?.TrimEnd('/'), Description = s.Description })
                .Where(s => !string.IsNullOrEmpty(s.Url)).ToList() ?? [];
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token created by an Admin in Settings → API tokens, sent as `Authorization: Bearer <token>`.",
            };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(OneOfAttribute), true).OfType<OneOfAttribute>().FirstOrDefault() is { } oneOf)
            {
                var values = oneOf.Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToList();
                if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
                {
                    values.Add(null);
                }
                schema.Enum = values!;
            }
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<RequestExample>().FirstOrDefault() is { } example && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                if (operation.RequestBody is OpenApiRequestBody requestBody)
                {
                    requestBody.Required = true;
                }
                body.Example = JsonNode.Parse(example.Json);
                if (example.OrArray is { } max)
                {
                    body.Schema = OneOrMany(body.Schema!, max);
                }
            }
            if (metadata.OfType<ResponseOrArray>().FirstOrDefault() is { } many && operation.Responses?.TryGetValue(many.Status.ToString(), out var response) == true
                && response.Content?.TryGetValue("application/json", out var content) == true)
            {
                content.Schema = OneOrMany(content.Schema!, many.Max);
            }
            operation.Responses ??= [];
            if (operation.RequestBody is not null)
            {
                operation.Responses.TryAdd("415", Problem("The body is not declared as JSON (Content-Type: application/json).", context.Document));
            }
            operation.Responses.TryAdd("503", Problem("The database cannot take the request now; retry after `Retry-After` seconds.", context.Document));
            var scope = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
            if (scope is null)
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(TokenScheme, context.Document)] = [] });
            operation.Description = $"Requires a token with the `{scope}` scope.";
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or an unknown or revoked one." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The token lacks the `{scope}` scope." });
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "The token is over its rate limit; retry after `Retry-After` seconds." });
            return Task.CompletedTask;
        });
    });

    /// <summary>Where signed-in users read the interactive reference (linked from Settings → API tokens).</summary>
    public const string ReferencePath = "/api-reference";

    /// <summary>
    /// The interactive API reference (Scalar) for signed-in users. Its scripts are the package's own, served from
    /// here, and carry a fresh nonce that the Content-Security-Policy allows (SecurityHeaders); nothing is fetched from
    /// or sent elsewhere (fonts, AI agent, telemetry), so it works on a machine without internet access.
    /// </summary>
    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("GoalsDashboard API reference")
                .WithOpenApiRoutePattern(Route)
                .AddDocument("v1", "GoalsDashboard API v1")
                .WithNonce()
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .HideDeveloperTools()
                .AddPreferredSecuritySchemes(["token"]))
            .RequireAuthorization();

    private static OpenApiResponse Problem(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };

    private static OpenApiSchema OneOrMany(IOpenApiSchema one, int max) => new()
    {
        OneOf = [one, new OpenApiSchema { Type = JsonSchemaType.Array, Items = one, MinItems = 1, MaxItems = max }],
    };

    /// <summary>
    /// The request body of an endpoint: its schema (<typeparamref name="TBody"/>, from Api/ApiInputs.cs) and the
    /// example the document shows (one of <see cref="ApiExamples"/>); <paramref name="orArray"/> when an array of up to
    /// that many is taken as well.
    /// </summary>
    public static RouteHandlerBuilder WithBody<TBody>(this RouteHandlerBuilder endpoint, string example, int? orArray = null) =>
        endpoint.Accepts<TBody>("application/json").WithMetadata(new RequestExample(example, orArray));

    private sealed record RequestExample(string Json, int? OrArray);

    private sealed record ResponseOrArray(int Status, int Max);

    /// <summary>
    /// Names the operation (its <c>operationId</c>), sums it up, and lists its answers: <paramref name="success"/> with a
    /// <typeparamref name="TResponse"/> body, then other statuses (a 2xx among them without a body; 4xx as problem details,
    /// 422 with its field errors). 401/403/429 are added for every endpoint that needs a token.
    /// </summary>
    public static RouteHandlerBuilder Documented<TResponse>(this RouteHandlerBuilder endpoint, string operationId, string summary, int success,
        params int[] statuses) =>
        endpoint.Produces<TResponse>(success).Documented(operationId, summary, statuses);

    /// <summary>As <see cref="Documented{TResponse}"/>, for a success of <typeparamref name="TResponse"/> or an array of up to <paramref name="max"/>.</summary>
    public static RouteHandlerBuilder DocumentedOneOrMany<TResponse>(this RouteHandlerBuilder endpoint, string operationId, string summary, int success, int max,
        params int[] statuses) =>
        endpoint.Produces<TResponse>(success).WithMetadata(new ResponseOrArray(success, max)).Documented(operationId, summary, statuses);

    /// <summary>Names and sums up an operation whose successes have no body (204).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] statuses)
    {
        endpoint.WithName(operationId).WithSummary(summary);
        foreach (var status in statuses)
        {
            if (status < 400)
            {
                endpoint.Produces(status);
            }
            else if (status == StatusCodes.Status422UnprocessableEntity)
            {
                endpoint.ProducesValidationProblem(status);
            }
            else
            {
                endpoint.ProducesProblem(status);
            }
        }
        return endpoint;
    }
}
