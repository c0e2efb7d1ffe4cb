using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using Microsoft.AspNetCore.Diagnostics;

namespace GoalsDashboard.Api;

public static class HealthEndpoint
{
    /// <summary>
    /// <c>GET /health</c>: 200 when the database takes reads and writes and this instance follows the change log
    /// (its figures show what every instance stored), 503 when not (a missing or read-only file, a server that does
    /// not answer, a feed that has not been read for <see cref="ChangeFeed.FollowingWithin"/>). No sign-in, for load balancers.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async Task<IResult> (IDatabaseHealth health, ChangeFeed changes, CancellationToken ct) =>
        {
            var problem = await health.ProblemAsync(ct);
            var feed = new
            {
                following = changes.Following,
                applied = changes.Applied,
                openGaps = changes.OpenGaps,
                lastRead = changes.LastRead,
            };
            return problem is null && feed.following
                ? TypedResults.Ok(new { status = "healthy", database = "ok", feed })
                : TypedResults.Json(new { status = "unhealthy", database = problem ?? "ok", feed }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>
/// The API's answer when the database cannot take the request (docs/api.md, "Durability"): 503 with
/// <c>Retry-After</c>, never a 2xx for data that was not stored and never a 500.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IDatabaseHealth health, IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!health.IsUnavailable(exception))
        {
            return false;
        }
        logger.LogError(exception, "The database is unavailable: answered 503 to {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The database cannot store this request right now, so nothing was stored; retry later.",
            },
        });
    }
}
