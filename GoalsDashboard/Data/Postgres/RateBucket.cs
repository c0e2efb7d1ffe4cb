namespace GoalsDashboard.Data.Postgres;

/// <summary>One API token's request bucket, shared by every instance (docs/decisions/ADR-005-several-instances.md).</summary>
public sealed class RateBucket
{
    public string Partition { get; set; } = "";

    /// <summary>Requests it may still make now.</summary>
    public double Tokens { get; set; }

    /// <summary>When <see cref="Tokens"/> was computed (Unix ms, the database's clock).</summary>
    public long UpdatedAt { get; set; }
}
