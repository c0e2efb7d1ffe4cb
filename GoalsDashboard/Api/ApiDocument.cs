using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GoalsDashboard.Api;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> (docs/api.md), generated from the endpoints
/// themselves so it cannot drift from them: paths, parameters, status codes, tags and the token scope
/// each endpoint requires.
/// </summary>
public static class ApiDocument
{
    /// <summary>Served at /api/v1/openapi.json (the route must name the document).</summary>
    public const string Route = "/api/{documentName}/openapi.json";
    private const string TokenScheme = "token";

    public static IServiceCollection AddGoalsApiDocument(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "GoalsDashboard API",
                Version = "v1",
                Description = "Track events and profile properties, manage goals, campaigns, segments and funnels, and read their figures. " +
                    "JSON field names are snake_case. Errors are problem details (RFC 7807); a 422 names the offending field in `errors`.",
            };
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
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<RequestExample>().FirstOrDefault() is { } example)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse(example.Json) } },
                };
            }
            var scope = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
            if (scope is null)
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(TokenScheme, context.Document)] = [] });
            operation.Description = $"Requires a token with the `{scope}` scope.";
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or an unknown or revoked one." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The token lacks the `{scope}` scope." });
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "The token is over its rate limit; retry after `Retry-After` seconds." });
            return Task.CompletedTask;
        });
    });

    /// <summary>The request body the document shows for an endpoint (one of <see cref="ApiExamples"/>).</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder endpoint, string json) => endpoint.WithMetadata(new RequestExample(json));

    private sealed record RequestExample(string Json);

    /// <summary>A summary and the statuses an endpoint answers with besides 401/403/429 (added for every endpoint that needs a token).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string summary, params int[] statuses)
    {
        endpoint.WithSummary(summary);
        foreach (var status in statuses)
        {
            if (status < 400)
            {
                endpoint.Produces(status);
            }
            else
            {
                endpoint.ProducesProblem(status);
            }
        }
        return endpoint;
    }
}
