namespace GoalsDashboard.Data;

/// <summary>
/// The queue of profiles waiting for live evaluation, kept in the database (part of the store's seam):
/// marks are written in the transactions of the data that caused them, so nothing is lost in a crash.
/// </summary>
public interface IEvaluationQueue
{
    /// <summary>Marks profiles for evaluation (after a recorded conversion, say).</summary>
    Task MarkAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct = default);

    /// <summary>Up to <paramref name="max"/> marks due at <paramref name="now"/>: fresh ones, and set-aside ones whose retry time came.</summary>
    Task<IReadOnlyList<PendingMark>> DueAsync(int max, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Clears marks that were not renewed since they were read.</summary>
    Task ClearAsync(IReadOnlyList<PendingMark> marks, CancellationToken ct = default);

    /// <summary>
    /// Sets profiles aside after a failed evaluation: each keeps its mark with the error and is retried
    /// after a delay that doubles with every failure (from <see cref="FirstRetry"/> up to <see cref="LongestRetry"/>).
    /// </summary>
    Task SetAsideAsync(IReadOnlyList<(long ProfileId, string Error)> failures, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Makes set-aside profiles due now (all of them when <paramref name="profileId"/> is null).</summary>
    Task RetryNowAsync(long? profileId, CancellationToken ct = default);

    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(30);
}
