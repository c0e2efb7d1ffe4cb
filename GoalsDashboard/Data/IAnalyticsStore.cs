namespace GoalsDashboard.Data;

/// <summary>
/// The provider-specific reads of analytics: range scans over the precomputed completion and
/// conversion rows and over the events' covering index, streamed through prepared commands rather than
/// materialised by EF Core. Beside <see cref="IEventStore"/> and <see cref="IResultStore"/>.
/// </summary>
public interface IAnalyticsStore
{
    /// <summary>Visits (profile, time, site, channel) of every event in [startMs, endMs), narrowed by site and channel.</summary>
    Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default);

    /// <summary>
    /// The goal's completions in [startMs, endMs), narrowed by the completion's site and channel; their
    /// own site and channel only <paramref name="withPlaces"/> (text costs more to read than the rest of the row).
    /// </summary>
    Task<List<CompletionFact>> CompletionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces, CancellationToken ct = default);

    /// <summary>The goal's conversions in [startMs, endMs), narrowed by the conversion's site and channel; their own only <paramref name="withPlaces"/>.</summary>
    Task<List<ConversionFact>> ConversionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces, CancellationToken ct = default);

    /// <summary>Visits (profile, time) of the goal's conversions from <paramref name="startMs"/> on, from an index alone (funnel steps).</summary>
    Task ScanConversionTimesAsync(Guid goalId, long startMs, Action<long, long> visit, CancellationToken ct = default);

    /// <summary>Every campaign audience: campaign id → profile → entry time (Unix ms).</summary>
    Task<Dictionary<int, Dictionary<long, long>>> AudiencesAsync(CancellationToken ct = default);

    /// <summary>
    /// Distinct (profile, event name, page path) of the events before each profile's completion of the
    /// goal, for completions in [startMs, endMs); the path is null for events other than page views.
    /// </summary>
    Task ScanBeforeCompletionAsync(Guid goalId, long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default);

    /// <summary>Distinct (profile, event name, page path) of the events in [startMs, endMs).</summary>
    Task ScanEventKindsAsync(long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default);

    /// <summary>
    /// Every stored completion and conversion of the goal, with each row's site, channel and value
    /// (no first-seen time); a conversion is marked derived when evaluation wrote it (not recorded through the API).
    /// </summary>
    Task ScanGoalResultsAsync(Guid goalId, Action<CompletionFact> completion, Action<ConversionFact, bool> conversion, CancellationToken ct = default);

    /// <summary>Visits (profile, first seen) of every profile with an event.</summary>
    Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default);

    /// <summary>Visits (profile, time, site, channel) of the events with ids from <paramref name="fromId"/> to <paramref name="toId"/> (the change log's event ranges).</summary>
    Task ScanEventsByIdAsync(long fromId, long toId, Action<ActivityFact> visit, CancellationToken ct = default);
}
