namespace GoalsDashboard.Data;

/// <summary>
/// A profile whose stored results may be behind its history. Written in the same transaction as the
/// data that caused it, so evaluation resumes after a crash. <see cref="Version"/> grows with every
/// new mark: a mark cleared after evaluating version v stays when v+1 arrived meanwhile.
/// </summary>
public sealed class PendingEvaluation
{
    public long ProfileId { get; set; }
    public long Version { get; set; }
}
