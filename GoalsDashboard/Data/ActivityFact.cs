namespace GoalsDashboard.Data;

/// <summary>One event's activity: who, when, where. The denominator of every rate is counted from these.</summary>
public readonly record struct ActivityFact(long ProfileId, long At, string? Site, string? Channel);
