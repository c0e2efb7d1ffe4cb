using GoalsDashboard.Domain;

namespace GoalsDashboard.Services;

/// <summary>One row of the goals list.</summary>
public sealed record GoalListItem(
    Guid Id,
    string Name,
    GoalType Type,
    GoalStatus Status,
    string Summary,
    IReadOnlyList<string> Campaigns,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool IsEvaluating,
    int Completions,
    int Conversions,
    double CompletionRate,
    double? TargetRate,
    IReadOnlyList<int> DailyCompletions)
{
    /// <summary>On track when the period's rate reaches the target; null without a target.</summary>
    public bool? OnTrack => TargetRate is { } target ? CompletionRate >= target : null;
}
