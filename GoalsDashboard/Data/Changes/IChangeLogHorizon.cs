namespace GoalsDashboard.Data.Changes;

/// <summary>
/// What the store can tell about transactions still in flight, so that the feed holds a missing change number
/// exactly as long as a transaction that may own it is running (docs/decisions/ADR-005-several-instances.md).
/// </summary>
public interface IChangeLogHorizon
{
    /// <summary>
    /// A mark of the transactions begun so far (PostgreSQL: the next transaction id), or null when the store cannot
    /// tell; then a missing number is taken for a rolled-back transaction after <see cref="ChangeFeed.GapTimeout"/>.
    /// </summary>
    Task<long?> BegunAsync(CancellationToken ct);

    /// <summary>Every transaction below this mark has ended (PostgreSQL: the oldest running transaction id), or null.</summary>
    Task<long?> EndedBelowAsync(CancellationToken ct);
}

/// <summary>SQLite: one process writes, and only a rolled-back transaction leaves a number out.</summary>
internal sealed class NoChangeLogHorizon : IChangeLogHorizon
{
    public Task<long?> BegunAsync(CancellationToken ct) => Task.FromResult<long?>(null);

    public Task<long?> EndedBelowAsync(CancellationToken ct) => Task.FromResult<long?>(null);
}

/// <summary>Tells the other instances that this one committed changes (PostgreSQL: a notification), so they read the log now.</summary>
public interface IChangeNotifier
{
    /// <summary>Asks for one notification soon; calls made while one is being sent are covered by the next.</summary>
    void Notify();
}

/// <summary>SQLite: one process, no one to tell.</summary>
internal sealed class NoChangeNotifier : IChangeNotifier
{
    public void Notify()
    {
    }
}
