namespace GoalsDashboard.Data;

/// <summary>A stored conversion as analytics reads it (instants in Unix ms).</summary>
public readonly record struct ConversionFact(long ProfileId, long At, string? Channel, string? Site, double? Value);
