using GoalsDashboard.Domain;

namespace GoalsDashboard.Services;

/// <summary>A goal's figures attributed to one campaign over a period (campaign attribution, docs/analytics.md).</summary>
public sealed record AttributedGoal(Guid GoalId, string Name, GoalStatus Status, double? TargetRate, int Completions, int Conversions, double Rate);
