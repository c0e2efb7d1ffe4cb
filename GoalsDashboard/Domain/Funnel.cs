namespace GoalsDashboard.Domain;

public sealed record FunnelWindow(int Amount, WindowUnit Unit)
{
    public TimeSpan Length => Unit == WindowUnit.Days ? TimeSpan.FromDays(Amount) : TimeSpan.FromHours(Amount);
}

/// <summary>An ordered list of 2–12 goals, with an optional overall window and optional per-step windows.</summary>
public sealed class Funnel
{
    public const int MinSteps = 2;
    public const int MaxSteps = 12;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public FunnelWindow? Window { get; set; }
    public List<FunnelStep> Steps { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

public sealed class FunnelStep
{
    public int FunnelId { get; set; }
    /// <summary>Zero-based place of the step in the funnel.</summary>
    public int Position { get; set; }
    public Guid GoalId { get; set; }
    /// <summary>The longest time allowed after the previous step.</summary>
    public FunnelWindow? Window { get; set; }
}
