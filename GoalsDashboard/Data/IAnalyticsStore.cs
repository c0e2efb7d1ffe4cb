namespace GoalsDashboard.Data;

/// <summary>A stored completion as analytics reads it (instants in Unix ms).</summary>
public readonly record struct CompletionFact(long ProfileId, long At, string? Channel, string? Site, double? Value, long? FirstSeenAt);

/// <summary>A stored conversion as analytics reads it (instants in Unix ms).</summary>
public readonly record struct ConversionFact(long ProfileId, long At, string? Channel, string? Site, double? Value);

/// <summary>One event's activity: who, when, where. The denominator of every rate is counted from these.</summary>
public readonly record struct ActivityFact(long ProfileId, long At, string? Site, string? Channel);

/// <summary>
/// The provider-specific reads of analytics: range scans over the precomputed completion and
/// conversion rows and over the events' covering index, streamed through prepared commands rather than
/// materialised by EF Core. SQLite implements it today, beside <see cref="IIngestionStore"/>.
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
}

/// <summary>
/// The results evaluation has just committed for one (goal, profile): its completion (or none) and its
/// derived conversions, which replace the ones stored before. Recorded conversions are not part of it.
/// </summary>
public sealed record ResultChange(Guid GoalId, long ProfileId, CompletionFact? Completion, IReadOnlyList<ConversionFact> Conversions);

/// <summary>Told of the results the ingestion store has just committed, in the order they were committed.</summary>
public interface IResultSink
{
    /// <summary>These (goal, profile) pairs now hold exactly these results.</summary>
    void Replaced(IReadOnlyList<ResultChange> changes);

    /// <summary>Any stored result of these goals may have changed (a whole-goal rewrite, a recorded conversion, a deletion).</summary>
    void Reset(IReadOnlyCollection<Guid> goalIds);
}

/// <summary>Told by the ingestion store of the events it has just committed (profile, time, site, channel).</summary>
public interface IActivitySink
{
    void Stored(IReadOnlyList<ActivityFact> facts);
}
