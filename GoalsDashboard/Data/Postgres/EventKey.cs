namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// A client's event id, once stored: the first stored event with an id wins (docs/evaluation.md). Distributed by the
/// event id, it keeps that rule when events are distributed by their profile.
/// </summary>
public sealed class EventKey
{
    public string EventId { get; set; } = "";
    public long ProfileId { get; set; }
}
