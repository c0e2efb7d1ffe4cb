namespace GoalsDashboard.Data.Cluster;

/// <summary>
/// How app instances on one database take turns (docs/decisions/ADR-005-several-instances.md). On PostgreSQL these
/// are advisory locks held by a connection of their own, so a lock dies with the instance that held it; on SQLite,
/// which one process serves, they are the process's own.
/// </summary>
public interface IClusterLocks
{
    /// <summary>
    /// Held while evaluation reads and writes results: live evaluation on every instance shares it, a backfill holds
    /// it alone, so a backfill's results are never older than live results written while it ran.
    /// </summary>
    Task<IAsyncDisposable> EvaluationAsync(bool exclusive, CancellationToken ct);

    /// <summary>A lease on one piece of work (a goal's backfill), or null while another holder has it.</summary>
    Task<IAsyncDisposable?> TryLeaseAsync(string name, CancellationToken ct);

    /// <summary>Waits for the named lock (demo seeding): other instances wait until its holder is done.</summary>
    Task<IAsyncDisposable> LockAsync(string name, CancellationToken ct);
}

/// <summary>This process among the instances: claims and leases name it.</summary>
public sealed class AppInstance
{
    public Guid Id { get; } = Guid.NewGuid();
}
