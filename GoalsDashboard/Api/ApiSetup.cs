using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
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
    public const string RateLimitPolicy = "per-token";

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

        var perMinute = configuration.GetValue("Api:RequestsPerMinute", 12_000);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var token = context.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(token, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, perMinute / 6),
                    TokensPerPeriod = Math.Max(1, perMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Results.Problem(title: "Too many requests", detail: "This token is over its rate limit; retry after the number of seconds in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Scope(string scope) => policy => policy
        .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.Scheme)
        .RequireAuthenticatedUser()
        .RequireClaim(ApiTokenAuthenticationHandler.ScopeClaim, scope);

    public static IEndpointRouteBuilder MapGoalsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
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
        return endpoints;
    }
}
