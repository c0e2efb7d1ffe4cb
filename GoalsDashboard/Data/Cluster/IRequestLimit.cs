using System.Threading.RateLimiting;

namespace GoalsDashboard.Data.Cluster;

/// <summary>
/// The API's per-token request limit (<c>Api:RequestsPerMinute</c>), held for the whole cluster
/// (docs/decisions/ADR-005-several-instances.md): a sixth of the minute's requests may come at once, and the minute's
/// total holds however the requests are spread over instances.
/// </summary>
public interface IRequestLimit
{
    /// <summary>Takes one request from the partition's allowance; false when it is spent.</summary>
    ValueTask<bool> TryTakeAsync(string partition, CancellationToken ct);

    public static int PerMinute(IConfiguration configuration) => Math.Max(1, configuration.GetValue("Api:RequestsPerMinute", 12_000));
}

/// <summary>SQLite (one process): a token bucket in memory, a sixth of the minute at once, refilled every second.</summary>
internal sealed class LocalRequestLimit(IConfiguration configuration) : IRequestLimit, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(partition =>
    {
        var perMinute = IRequestLimit.PerMinute(configuration);
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute / 6),
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    });

    public ValueTask<bool> TryTakeAsync(string partition, CancellationToken ct)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        return ValueTask.FromResult(lease.IsAcquired);
    }

    public void Dispose() => _limiter.Dispose();
}
