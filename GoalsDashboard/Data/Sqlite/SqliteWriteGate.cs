namespace GoalsDashboard.Data.Sqlite;

/// <summary>
/// Turns at SQLite's one write lock for the stores' writers (ingestion, live evaluation's results, backfills, the
/// evaluation queue), in the order they asked; each gives its turn back once committed, before publishing. Left to SQLite, a
/// writer that finds the lock held sleeps (busy_timeout: 1, 2, 5 … up to 100 ms between tries) and ingestion's next
/// batch, asking at the right moment, takes the lock again first: live evaluation waited for it most of its time
/// (docs/benchmarks.md, thirteenth session). Within the process, so it holds for SQLite's one app instance (ADR-001);
/// any other writer still waits in SQLite as before.
/// </summary>
internal sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TimeSpan _maxWait;

    /// <summary>Waits as long as SQLite's own wait would (busy_timeout in SqlitePragmas).</summary>
    public SqliteWriteGate() : this(TimeSpan.FromSeconds(30))
    {
    }

    internal SqliteWriteGate(TimeSpan maxWait) => _maxWait = maxWait;

    /// <summary>Waits for this writer's turn; dispose the result once its transaction has ended.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!await _turn.WaitAsync(_maxWait, ct))
        {
            // What SQLite's own wait would have ended in: nothing stored, the API answers 503 with Retry-After.
            throw new DatabaseUnavailableException($"The database has been busy writing for {_maxWait.TotalSeconds:N0} s; nothing was stored.");
        }
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
