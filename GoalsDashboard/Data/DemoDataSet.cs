using GoalsDashboard.Domain;

namespace GoalsDashboard.Data;

/// <summary>The demo workspace's generated data, before it is ingested (profiles carry their ids).</summary>
public sealed record DemoDataSet(
    IReadOnlyList<Profile> Profiles,
    IReadOnlyList<TrackedEvent> Events,
    IReadOnlyList<PropertyChange> PropertyChanges,
    IReadOnlyList<ProfileProperty> CurrentProperties);
