namespace GoalsDashboard.Domain;

/// <summary>The first time a profile met a goal. At most one per profile per goal.</summary>
public sealed class Completion
{
    public Guid GoalId { get; set; }
    public long ProfileId { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>The stored event that triggered it; null when a property change or an API conversion did.</summary>
    public long? TriggerEventId { get; set; }
    public string? Channel { get; set; }
    public string? Site { get; set; }
    public decimal? Value { get; set; }
}

public enum ConversionSource : byte
{
    /// <summary>An event that met the goal.</summary>
    Event = 0,
    /// <summary>The completion itself, when no matching event triggered it (a property change, the anchor event).</summary>
    Completion = 1,
    /// <summary>Recorded through <c>POST /api/v1/conversions</c>.</summary>
    Api = 2,
    /// <summary>An external (offline) match through <c>POST /api/v1/goals/{id}/matches</c>.</summary>
    Match = 3,
}

/// <summary>Every occurrence that meets a goal: a profile converts many times and completes once.</summary>
public sealed class Conversion
{
    public long Id { get; set; }
    public Guid GoalId { get; set; }
    public long ProfileId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public ConversionSource Source { get; set; }
    /// <summary>The matching event, or for a match the linked event.</summary>
    public long? EventId { get; set; }
    public string? Channel { get; set; }
    public string? Site { get; set; }
    public decimal? Value { get; set; }
}
