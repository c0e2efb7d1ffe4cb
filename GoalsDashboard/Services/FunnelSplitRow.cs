using GoalsDashboard.Analytics;

namespace GoalsDashboard.Services;

/// <summary>A funnel's figures for one split value (a segment or a campaign).</summary>
public sealed record FunnelSplitRow(string Value, string Label, IReadOnlyList<FunnelStepStats> Steps);
