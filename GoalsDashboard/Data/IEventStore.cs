using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using GoalsDashboard.Ingestion;

namespace GoalsDashboard.Data;

/// <summary>
/// The provider-specific seam for tracked data: events, property changes, profiles and campaign audiences,
/// written in bulk and read back as whole profile histories, with prepared commands rather than EF Core's
/// change tracker. Every write records what it changed in the change log, in its own transaction
/// (docs/decisions/ADR-003-change-feed.md), and marks the profiles it touched for evaluation.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Stores a validated batch atomically: skips duplicate event ids (within the batch and against
    /// stored events), creates unknown profiles, keeps first-seen, sites and campaign audiences up to
    /// date, and marks the touched profiles for evaluation in the same transaction.
    /// </summary>
    Task<IngestResult> IngestEventsAsync(IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken ct = default);

    /// <summary>
    /// Records property changes (one timestamp per item, shared by its keys), creating unknown profiles
    /// (their first-seen stays empty until an event); marks them for evaluation. Returns the internal ids, in order.
    /// </summary>
    Task<IReadOnlyList<long>> SetPropertiesAsync(IReadOnlyList<ProfilePropertyChanges> batch, CancellationToken ct = default);

    /// <summary>
    /// Adds imported audience entries to a campaign, creating unknown profiles. A profile's imported
    /// entry time only ever moves earlier, so importing the same list again changes nothing.
    /// </summary>
    Task ImportAudienceAsync(int campaignId, IReadOnlyList<(string ProfileId, DateTimeOffset EnteredAt)> entries, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Rebuilds the event side of a campaign's audience from the stored events carrying <paramref name="key"/> (after the campaign was created or its key changed).</summary>
    Task RebuildAudienceFromEventsAsync(int campaignId, string key, CancellationToken ct = default);

    /// <summary>
    /// Reads the histories of the given profiles (all profiles when null), in profile-id order,
    /// with the conversions recorded through the API for every goal.
    /// </summary>
    IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(IReadOnlyCollection<long>? profileIds, bool withEventProperties, CancellationToken ct = default);

    /// <summary>The histories of the profiles with ids in the range, in id order: one share of a read of all history split across cores.</summary>
    IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(ProfileRange range, bool withEventProperties, CancellationToken ct = default);

    /// <summary>
    /// Every stored profile's history reduced to the events <paramref name="needs"/> keeps (see <see cref="EventNeeds"/>),
    /// with the conversions recorded through the API for <paramref name="goalIds"/>: the read of a backfill, done in bulk and held in memory
    /// until the shares are dropped. The histories come in profile-id order, cut into <paramref name="parts"/>
    /// shares to be evaluated side by side. <paramref name="progress"/> hears the fraction read so far.
    /// </summary>
    Task<IReadOnlyList<IEnumerable<StoredHistory>>> ReadAllHistoriesAsync(IReadOnlyCollection<Guid> goalIds, EventNeeds needs, int parts, Action<double>? progress = null, CancellationToken ct = default);

    /// <summary>The largest profile id stored (0 with none).</summary>
    Task<long> MaxProfileIdAsync(CancellationToken ct = default);
}
