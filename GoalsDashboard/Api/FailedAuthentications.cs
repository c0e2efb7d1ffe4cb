using System.Net;
using System.Threading.RateLimiting;

namespace GoalsDashboard.Api;

/// <summary>
/// Limits failed API authentications per client address (<c>Api:FailedAuthenticationsPerMinute</c>, 60 by
/// default): past it, the address gets 429 with <c>Retry-After</c> for the rest of the minute, without a
/// token lookup. Failures are logged once a minute in aggregate rather than one line per request.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger<FailedAuthentications> _logger;
    private readonly Timer _report;
    private readonly HashSet<IPAddress> _addresses = [];
    private long _failures;
    private long _refused;

    public FailedAuthentications(IConfiguration configuration, ILogger<FailedAuthentications> logger)
    {
        PerMinute = Math.Max(1, configuration.GetValue("Api:FailedAuthenticationsPerMinute", 60));
        _logger = logger;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _report = new Timer(_ => Report(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public int PerMinute { get; }

    /// <summary>Whether this address has used up its failures for the current minute.</summary>
    public bool IsBlocked(IPAddress address) => _limiter.GetStatistics(address)?.CurrentAvailablePermits == 0;

    /// <summary>Counts a failure; false when the address is over its limit.</summary>
    public bool Record(IPAddress address)
    {
        Interlocked.Increment(ref _failures);
        lock (_addresses)
        {
            if (_addresses.Count < 10_000)
            {
                _addresses.Add(address);
            }
        }
        using var lease = _limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Refused() => Interlocked.Increment(ref _refused);

    private void Report()
    {
        var failures = Interlocked.Exchange(ref _failures, 0);
        var refused = Interlocked.Exchange(ref _refused, 0);
        int addresses;
        lock (_addresses)
        {
            addresses = _addresses.Count;
            _addresses.Clear();
        }
        if (failures + refused > 0)
        {
            _logger.LogWarning("{Failures} API requests with an invalid token from {Addresses} addresses in the last minute; {Refused} refused with 429",
                failures, addresses, refused);
        }
    }

    public void Dispose()
    {
        _report.Dispose();
        _limiter.Dispose();
    }
}
