namespace GoalsDashboard.Data;

/// <summary>
/// The results evaluation has just committed for one (goal, profile): its completion (or none) and its
/// derived conversions, which replace the ones stored before. Recorded conversions are not part of it.
/// </summary>
public sealed record ResultChange(Guid GoalId, long ProfileId, CompletionFact? Completion, IReadOnlyList<ConversionFact> Conversions);
