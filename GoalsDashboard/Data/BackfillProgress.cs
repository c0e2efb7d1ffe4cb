namespace GoalsDashboard.Data;

/// <summary>
/// A running backfill as every instance sees it: written by the instance that holds the goal's lease
/// (docs/decisions/ADR-005-several-instances.md), removed when it finishes.
/// </summary>
public sealed class BackfillProgress
{
    public Guid GoalId { get; set; }

    /// <summary>The instance running it.</summary>
    public Guid Instance { get; set; }

    /// <summary>0–1.</summary>
    public double Progress { get; set; }

    /// <summary>Unix ms of the last report.</summary>
    public long UpdatedAt { get; set; }
}
