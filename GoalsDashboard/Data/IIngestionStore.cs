using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Data;

/// <summary>
/// The provider-specific seam: the hot paths (bulk writes of events, reading whole profile histories,
/// replacing evaluation results) done with prepared commands rather than EF Core's change tracker.
/// SQLite implements it today; PostgreSQL adds an implementation beside it without touching callers.
/// </summary>
public interface IIngestionStore
{
    /// <summary>Writes a batch in one transaction. Profiles must carry their ids; events and changes get theirs from the store.</summary>
    Task BulkLoadAsync(BulkLoad load, CancellationToken ct = default);

    /// <summary>
    /// Reads the histories of the given profiles (all profiles when null), in profile-id order,
    /// with the conversions recorded through the API for every goal.
    /// </summary>
    IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(IReadOnlyCollection<long>? profileIds, bool withEventProperties, CancellationToken ct = default);

    /// <summary>
    /// Replaces the completions and event-derived conversions of these goals for these profiles (all
    /// profiles when null) by the given results, in one transaction. Recorded (API) conversions stay.
    /// </summary>
    Task ReplaceResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long>? profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, CancellationToken ct = default);
}

public sealed record BulkLoad(
    IReadOnlyList<Profile> Profiles,
    IReadOnlyList<TrackedEvent> Events,
    IReadOnlyList<PropertyChange> PropertyChanges,
    IReadOnlyList<ProfileProperty> CurrentProperties);

/// <summary>A profile's history with the conversions recorded for it through the API, by goal.</summary>
public sealed record StoredHistory(ProfileHistory History, IReadOnlyDictionary<Guid, List<RecordedConversion>> Recorded);
