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
        ["Annotations"] = "Notes on days (\"Campaign launched\"), drawn on every trend chart.",
    };

    /// <summary>The document of the Plausible-compatible Plugins API, served at /api/plugins/openapi.json.</summary>
    public const string PluginsDocument = "plugins";

    public static IServiceCollection AddGoalsApiDocument(this IServiceCollection services) => services
        .AddOpenApi("v1", options => Configure(options, "api/v1/", document =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "GoalsDashboard API",
                Version = "v1",
                Description = "Track events and profile properties, manage goals, campaigns, segments and funnels, and read their figures. " +
                    "JSON field names are snake_case. Errors are problem details (RFC 7807); a 422 names the offending field in `errors`.",
                License = License,
            };
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        }))
        .AddOpenApi(PluginsDocument, options => Configure(options, "api/plugins/v1/", document =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "GoalsDashboard Plugins API (Plausible-compatible)",
                Version = "v1",
                Description = "The goals part of Plausible Analytics' Plugins API, so that clients written for it work unchanged. " +
                    "Authenticate with HTTP Basic (any user name, the API token as the password) or a bearer token. Ids are the goals' " +
                    "workspace-wide numbers; errors follow upstream's shape `{errors: [{detail}]}`.",
                License = License,
            };
            document.Tags = new HashSet<OpenApiTag>([new OpenApiTag { Name = PluginsApi.Tag, Description = "Get or create, list, read and delete (archive) goals." }]);
            document.Components!.SecuritySchemes![BasicScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic as upstream's clients send it: the site's domain (or anything) as the user, the API token as the password.",
            };
        }));

    private const string BasicScheme = "basic";

    private static readonly OpenApiLicense License = new() { Name = "Proprietary: for the workspace that runs it" };

    private static void Configure(OpenApiOptions options, string prefix, Action<OpenApiDocument> describe)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith(prefix, StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, context, _) =>
        {
            // The server this document was read from, without the trailing slash a linter rejects (paths start with one).
            document.Servers = document.Servers?.Select(s => new OpenApiServer { Url = s.Url?.TrimEnd('/'), Description = s.Description })
                .Where(s => !string.IsNullOrEmpty(s.Url)).ToList() ?? [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token created by an Admin in Settings → API tokens, sent as `Authorization: Bearer <token>`.",
            };
            describe(document);
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
                if (example.Wrapped is { } wrapped)
                {
                    // Or several, as an array in one property of an object.
                    body.Schema = new OpenApiSchema
                    {
                        OneOf =
                        [
                            body.Schema!,
                            new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { wrapped.Property },
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    [wrapped.Property] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = body.Schema, MinItems = 1, MaxItems = wrapped.Max },
                                },
                            },
                        ],
                    };
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
            if (context.DocumentName == PluginsDocument)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BasicScheme, context.Document)] = [] });
            }
            operation.Description = $"Requires a token with the `{scope}` scope.";
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or an unknown or revoked one." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The token lacks the `{scope}` scope." });
            operation.Responses.TryAdd("429", Problem("The token is over its rate limit; retry after `Retry-After` seconds.", context.Document));
            return Task.CompletedTask;
        });
    }

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
                .AddDocument(PluginsDocument, "Plugins API (Plausible-compatible)")
                .WithNonce()
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .HideDeveloperTools()
                .AddPreferredSecuritySchemes([TokenScheme]))
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
        endpoint.Accepts<TBody>("application/json").WithMetadata(new RequestExample(example, orArray, null));

    /// <summary>A request body of one <typeparamref name="TBody"/>, or up to <paramref name="max"/> of them in an array named <paramref name="property"/>.</summary>
    public static RouteHandlerBuilder WithBody<TBody>(this RouteHandlerBuilder endpoint, string example, string property, int max) =>
        endpoint.Accepts<TBody>("application/json").WithMetadata(new RequestExample(example, null, (property, max)));

    private sealed record RequestExample(string Json, int? OrArray, (string Property, int Max)? Wrapped);

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

    /// <summary>
    /// As <see cref="Documented(RouteHandlerBuilder, string, string, int[])"/> for the Plugins API, whose 401, 403, 404 and
    /// 422 answers are upstream's <see cref="PluginErrors"/> rather than problem details.
    /// </summary>
    public static RouteHandlerBuilder DocumentedPlugin(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] statuses)
    {
        endpoint.WithName(operationId).WithSummary(summary);
        foreach (var status in statuses)
        {
            if (status is 401 or 403 or 404 or 422)
            {
                endpoint.Produces<PluginErrors>(status);
            }
            else
            {
                endpoint.Documented(status);
            }
        }
        return endpoint;
    }

    /// <summary>Names and sums up an operation whose successes have no body (204).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] statuses)
    {
        endpoint.WithName(operationId).WithSummary(summary);
        foreach (var status in statuses)
        {
            endpoint.Documented(status);
        }
        return endpoint;
    }

    private static void Documented(this RouteHandlerBuilder endpoint, int status)
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
}
