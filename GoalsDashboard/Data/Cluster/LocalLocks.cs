using System.Collections.Concurrent;

namespace GoalsDashboard.Data.Cluster;

/// <summary>SQLite's locks: one process serves the file, so the process's own locks are the cluster's.</summary>
internal sealed class LocalLocks : IClusterLocks
{
    private readonly ConcurrentDictionary<string, byte> _leases = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    /// <summary>Evaluation already runs one thing at a time in this process (EvaluationService): nothing to add.</summary>
    public Task<IAsyncDisposable> EvaluationAsync(bool exclusive, CancellationToken ct) => Task.FromResult<IAsyncDisposable>(new Release(() => { }));

    public Task<IAsyncDisposable?> TryLeaseAsync(string name, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(_leases.TryAdd(name, 0) ? new Release(() => _leases.TryRemove(name, out _)) : null);

    public async Task<IAsyncDisposable> LockAsync(string name, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(() => gate.Release());
    }

    private sealed class Release(Action release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
            return ValueTask.CompletedTask;
        }
    }
}
