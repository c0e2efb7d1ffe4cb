namespace GoalsDashboard.Analytics;

public enum TargetStatus { None, OnTrack, Behind }

public static class Targets
{
    /// <summary>On track when the completion rate reaches the goal's target rate; none without a target.</summary>
    public static TargetStatus StatusOf(double completionRate, double? targetRate) =>
        targetRate is not { } target ? TargetStatus.None : completionRate >= target ? TargetStatus.OnTrack : TargetStatus.Behind;

    public static string Label(this TargetStatus status) => status switch
    {
        TargetStatus.OnTrack => "On track",
        TargetStatus.Behind => "Behind",
        _ => "No target",
    };
}
