using GoalsDashboard.Domain;

namespace GoalsDashboard.Services;

/// <summary>A goal as pickers list it.</summary>
public sealed record GoalName(Guid Id, string Name, GoalStatus Status, double? TargetRate = null);
