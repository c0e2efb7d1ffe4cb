using GoalsDashboard.Domain;

namespace GoalsDashboard.Data;

/// <summary>
/// The provider-specific seam: bulk writes on the ingestion hot path, done with prepared commands
/// rather than EF Core's change tracker. SQLite implements it today; PostgreSQL will add an
/// implementation beside it without touching the callers.
/// </summary>
public interface IIngestionStore
{
    /// <summary>Writes a batch in one transaction. Profiles must carry their ids; events and changes get theirs from the store.</summary>
    Task BulkLoadAsync(BulkLoad load, CancellationToken ct = default);
}

public sealed record BulkLoad(
    IReadOnlyList<Profile> Profiles,
    IReadOnlyList<TrackedEvent> Events,
    IReadOnlyList<PropertyChange> PropertyChanges,
    IReadOnlyList<ProfileProperty> CurrentProperties);
