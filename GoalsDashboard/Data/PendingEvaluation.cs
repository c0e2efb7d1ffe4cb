namespace GoalsDashboard.Data;

/// <summary>
/// A profile whose stored results may be behind its history. Written in the same transaction as the
/// data that caused it, so evaluation resumes after a crash. <see cref="Version"/> grows with every
/// new mark: a mark cleared after evaluating version v stays when v+1 arrived meanwhile.
/// A profile whose evaluation failed is set aside: it keeps its mark with the error, and is tried
/// again at <see cref="RetryAt"/>, later after every failure, while the others go on (docs/evaluation.md).
/// </summary>
public sealed class PendingEvaluation
{
    public long ProfileId { get; set; }
    public long Version { get; set; }

    /// <summary>Failed evaluations since the last success (0 for a fresh mark).</summary>
    public int Attempts { get; set; }

    /// <summary>Not evaluated before this instant (Unix ms); null for a fresh mark.</summary>
    public long? RetryAt { get; set; }

    /// <summary>Why the last evaluation failed.</summary>
    public string? Error { get; set; }
}
