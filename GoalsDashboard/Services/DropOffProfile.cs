namespace GoalsDashboard.Services;

/// <summary>A profile that reached a step and stopped before the next one.</summary>
public sealed record DropOffProfile(string ProfileId, DateTimeOffset ReachedAt);
