namespace GoalsDashboard.Domain;

/// <summary>
/// A note on a day of the workspace ("Campaign launched"), shown on every trend chart whose period holds that day
/// (docs/analytics.md, "Annotations").
/// </summary>
public sealed class Annotation
{
    public const int MaxTextLength = 200;

    public int Id { get; set; }

    /// <summary>The day, in the workspace's time zone.</summary>
    public DateOnly Date { get; set; }

    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
