using System.Text.Json;
using System.Text.Json.Serialization;
using GoalsDashboard.Data.Cluster;
using GoalsDashboard.Domain;
using Microsoft.AspNetCore.Authentication;

namespace GoalsDashboard.Api;

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

public static class ApiSetup
{
    public static IServiceCollection AddGoalsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FailedAuthentications>();
        // A line per failed authentication is what an attacker would like to fill the disk with: FailedAuthentications logs them once a minute.
        services.AddLogging(logging => logging.AddFilter(typeof(ApiTokenAuthenticationHandler).FullName, LogLevel.Warning));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiScopes.EventsWrite, Scope(ApiScopes.EventsWrite))
            .AddPolicy(ApiScopes.GoalsRead, Scope(ApiScopes.GoalsRead))
            .AddPolicy(ApiScopes.GoalsWrite, Scope(ApiScopes.GoalsWrite));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();

        return services;
    }

    /// <summary>Each token's requests count against its limit on every instance together (<see cref="IRequestLimit"/>).</summary>
    internal static async ValueTask<object?> LimitRequestsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var partition = http.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
        if (await http.RequestServices.GetRequiredService<IRequestLimit>().TryTakeAsync(partition, http.RequestAborted))
        {
            return await next(context);
        }
        http.Response.Headers.RetryAfter = "1";
        return Results.Problem(title: "Too many requests", detail: "This token is over its rate limit; retry after the number of seconds in Retry-After.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Scope(string scope) => policy => policy
        .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.Scheme)
        .RequireAuthenticatedUser()
        .RequireClaim(ApiTokenAuthenticationHandler.ScopeClaim, scope);

    public static IEndpointRouteBuilder MapGoalsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter(LimitRequestsAsync).DisableAntiforgery();
        // The product's rules and optimistic concurrency answer the same way from every endpoint.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (DomainValidationException ex)
            {
                return ApiProblems.From(ex);
            }
            catch (ConcurrencyConflictException ex)
            {
                return ApiProblems.Conflict(ex.Message);
            }
        });
        api.MapGoalEndpoints();
        api.MapStatsEndpoints();
        api.MapIngestionEndpoints();
        api.MapCampaignEndpoints();
        api.MapSegmentEndpoints();
        api.MapFunnelEndpoints();
        api.MapAnnotationEndpoints();
        return endpoints;
    }
}
