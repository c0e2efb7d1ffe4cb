using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Data;

/// <summary>
/// A profile's history with the conversions recorded for it through the API, by goal. <see cref="Unreadable"/>
/// says why part of it could not be read (a damaged row): such a history is incomplete, so it is never
/// evaluated; its profile is set aside instead (docs/evaluation.md, "Failures").
/// </summary>
public sealed record StoredHistory(ProfileHistory History, IReadOnlyDictionary<Guid, List<RecordedConversion>> Recorded, string? Unreadable = null);
