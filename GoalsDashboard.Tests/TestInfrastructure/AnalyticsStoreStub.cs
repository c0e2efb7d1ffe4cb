using GoalsDashboard.Data;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>An analytics store that serves nothing: a test double overrides the reads its test needs.</summary>
internal abstract class AnalyticsStoreStub : IAnalyticsStore
{
    public virtual Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public virtual Task<List<CompletionFact>> CompletionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
        CancellationToken ct = default) => throw new NotSupportedException();

    public virtual Task<List<ConversionFact>> ConversionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
        CancellationToken ct = default) => throw new NotSupportedException();

    public virtual Task ScanConversionTimesAsync(Guid goalId, long startMs, Action<long, long> visit, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public virtual Task<Dictionary<int, Dictionary<long, long>>> AudiencesAsync(CancellationToken ct = default) => throw new NotSupportedException();

    public virtual Task ScanBeforeCompletionAsync(Guid goalId, long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public virtual Task ScanEventKindsAsync(long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public virtual Task ScanGoalResultsAsync(Guid goalId, Action<CompletionFact> completion, Action<ConversionFact, bool> conversion,
        CancellationToken ct = default) => throw new NotSupportedException();

    public virtual Task ScanEventsByIdAsync(long fromId, long toId, Action<ActivityFact> visit, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public virtual Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default) => throw new NotSupportedException();
}
