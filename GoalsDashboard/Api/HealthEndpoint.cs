using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Api;

public static class HealthEndpoint
{
    /// <summary><c>GET /health</c>: 200 when the database answers, 503 when it does not. No sign-in, for load balancers.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async Task<IResult> (IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                if (await db.Database.CanConnectAsync(ct))
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
                    return TypedResults.Ok(new { status = "healthy", database = "ok" });
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return TypedResults.Json(new { status = "unhealthy", database = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return TypedResults.Json(new { status = "unhealthy", database = "unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
