using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Data;

/// <summary>
/// The provider-specific seam for evaluation results: completions and conversions, replaced in bulk. Every
/// write records what it changed in the change log in its own transaction (docs/decisions/ADR-003-change-feed.md);
/// the in-memory indexes follow that, nothing else.
/// </summary>
public interface IResultStore
{
    /// <summary>
    /// Live evaluation: these (goal, profile) pairs now hold exactly these results (a pair without one holds none).
    /// Only pairs whose stored rows differ are rewritten. Recorded (API) conversions stay. Nothing is written for a goal deleted meanwhile. With <paramref name="claimedOnly"/>,
    /// only the profiles this instance still has claimed in the queue are written, checked in the write's transaction:
    /// an instance whose claim ran out never writes over what the instance that took it over wrote from newer data.
    /// </summary>
    Task ReplaceResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long> profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, bool claimedOnly = false, CancellationToken ct = default);

    /// <summary>
    /// A backfill: every result of the goal is replaced by these, and the goal is marked evaluated at
    /// <paramref name="version"/> (unless a newer version was evaluated meanwhile), in one transaction. Nothing, if the goal was deleted meanwhile.
    /// </summary>
    Task ReplaceGoalResultsAsync(Guid goalId, int version, IReadOnlyList<(long ProfileId, EvaluationResult Result)> results, CancellationToken ct = default);

    /// <summary>
    /// A conversion recorded through the API (a tracked conversion or an offline match); its profile is marked for evaluation.
    /// <see cref="KeyNotFoundException"/> when the goal is gone (deleted since the caller found it).
    /// </summary>
    Task RecordConversionAsync(Domain.Conversion conversion, CancellationToken ct = default);
}
