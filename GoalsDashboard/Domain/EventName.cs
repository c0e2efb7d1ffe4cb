namespace GoalsDashboard.Domain;

/// <summary>
/// An event name seen in ingestion, kept so that suggestions list the names without an index on every event's
/// name (docs/decisions/ADR-001-storage.md: with the one by time, it cost a third of ingestion's rate).
/// </summary>
public sealed class EventName
{
    public string Name { get; set; } = "";
}
