namespace GoalsDashboard.Data;

/// <summary>A profile's mark as read: evaluation clears it only if no newer mark arrived meanwhile.</summary>
public readonly record struct PendingMark(long ProfileId, long Version);
