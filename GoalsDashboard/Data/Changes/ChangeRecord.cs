namespace GoalsDashboard.Data.Changes;

/// <summary>What a committed write changed (docs/decisions/ADR-003-change-feed.md).</summary>
public enum ChangeKind
{
    /// <summary>Events were stored: activity, first-seen times and audiences may have changed.</summary>
    Events = 1,

    /// <summary>Profile properties were set: segment memberships may have changed.</summary>
    Properties = 2,

    /// <summary>These (goal, profile) pairs now hold exactly these results.</summary>
    Results = 3,

    /// <summary>Any result of these goals may have changed (a backfill, a recorded conversion, a deletion).</summary>
    GoalResults = 4,

    /// <summary>A campaign's audience was imported or rebuilt.</summary>
    Audience = 5,

    /// <summary>Definitions changed (goals, campaigns, segments, funnels, sites, settings): names and memberships may differ.</summary>
    Definitions = 6,
}

/// <summary>
/// One row of the change log: written in the same transaction as the write it describes, numbered in
/// commit order, followed by every in-memory index and live page of every app instance, pruned after an hour.
/// </summary>
public sealed class ChangeRecord
{
    public long Seq { get; set; }

    /// <summary>When it was written (Unix ms), for pruning.</summary>
    public long At { get; set; }

    public ChangeKind Kind { get; set; }

    /// <summary>What changed, as JSON (see <see cref="ChangePayload"/>): enough for another process to apply it.</summary>
    public string Payload { get; set; } = "{}";
}
