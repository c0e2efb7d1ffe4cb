using GoalsDashboard.Domain;

namespace GoalsDashboard.Services;

/// <summary>A goal linked to a campaign.</summary>
public sealed record LinkedGoal(Guid Id, string Name, GoalStatus Status, double? TargetRate);
