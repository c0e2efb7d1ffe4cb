namespace GoalsDashboard.Data;

/// <summary>A stored completion as analytics reads it (instants in Unix ms).</summary>
public readonly record struct CompletionFact(long ProfileId, long At, string? Channel, string? Site, double? Value, long? FirstSeenAt);
