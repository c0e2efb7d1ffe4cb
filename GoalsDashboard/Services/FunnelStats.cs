using GoalsDashboard.Analytics;

namespace GoalsDashboard.Services;

/// <summary>A funnel's figures over a period: its steps, their splits and the first-to-last conversion over time.</summary>
public sealed record FunnelStats(int FunnelId, DateOnly From, DateOnly To, IReadOnlyList<FunnelStepStats> Steps,
    IReadOnlyList<FunnelSplitRow> Splits, IReadOnlyList<FunnelTrendRow> Trend);
