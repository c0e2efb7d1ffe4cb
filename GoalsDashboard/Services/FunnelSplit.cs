namespace GoalsDashboard.Services;

/// <summary>How a funnel's figures are split: not at all, by segment, or by campaign.</summary>
public enum FunnelSplit { None, Segment, Campaign }
