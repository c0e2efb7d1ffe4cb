namespace GoalsDashboard.Data.Changes;

/// <summary>
/// A committed change as followers apply it. Which members are filled depends on <see cref="Kind"/>: stored
/// events' activity, replaced results, reset goals, or the tables whose definitions changed.
/// </summary>
public sealed record Change(long Seq, ChangeKind Kind)
{
    /// <summary><see cref="ChangeKind.Events"/>: who was active when and where.</summary>
    public IReadOnlyList<ActivityFact> Events { get; init; } = [];

    /// <summary><see cref="ChangeKind.Events"/>: whether some event carried a campaign key (audiences grow).</summary>
    public bool CarriesCampaigns { get; init; }

    /// <summary><see cref="ChangeKind.Results"/>: the pairs' new results.</summary>
    public IReadOnlyList<ResultChange> Results { get; init; } = [];

    /// <summary><see cref="ChangeKind.Results"/> and <see cref="ChangeKind.GoalResults"/>: the goals concerned.</summary>
    public IReadOnlyList<Guid> Goals { get; init; } = [];

    /// <summary><see cref="ChangeKind.Definitions"/>: the tables written.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];
}
