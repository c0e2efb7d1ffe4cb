namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// One API token's requests in the current window, counted by every instance together
/// (docs/decisions/ADR-005-several-instances.md).
/// </summary>
public sealed class RateBucket
{
    public string Partition { get; set; } = "";

    /// <summary>The window counted (its number since the Unix epoch, by the database's clock).</summary>
    public long Window { get; set; }

    /// <summary>Requests in that window, the refused ones included.</summary>
    public int Count { get; set; }
}
