using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Data;

/// <summary>
/// A (goal, profile)'s results as the result tables hold them, for every store: live evaluation rewrites only the
/// pairs whose stored rows differ from the fresh ones (most do not change, and each write updates several indexes).
/// </summary>
internal static class StoredResults
{
    public static ResultChange Change(Guid goalId, long profileId, StoredResult result) => new(goalId, profileId,
        result.Completion is { } c ? new CompletionFact(profileId, c.At, c.Channel, c.Site, c.Value, null) : null,
        result.Conversions.Select(c => new ConversionFact(profileId, c.At, c.Channel, c.Site, c.Value)).ToList());

    public readonly record struct CompletionRow(long At, long? Trigger, string? Channel, string? Site, double? Value);

    public readonly record struct ConversionRow(long At, int Source, long? EventId, string? Channel, string? Site, double? Value);

    /// <summary>A goal's results for one profile as the tables hold them (event-derived conversions only; recorded ones are inputs).</summary>
    public sealed record StoredResult(CompletionRow? Completion, List<ConversionRow> Conversions);

    public static StoredResult Of(EvaluationResult result) => new(
        result.Completion is { } c ? new CompletionRow(c.CompletedAt.ToUnixTimeMilliseconds(), c.TriggerEventId, c.Channel, c.Site, c.Value is { } v ? (double)v : null) : null,
        result.Conversions.Where(c => c.Source is ConversionSource.Event or ConversionSource.Completion)
            .Select(c => new ConversionRow(c.Timestamp.ToUnixTimeMilliseconds(), (int)c.Source, c.EventId, c.Channel, c.Site, c.Value is { } v ? (double)v : null))
            .ToList());

    public static bool Same(StoredResult? stored, StoredResult? fresh)
    {
        var (a, b) = (stored ?? Nothing, fresh ?? Nothing);
        if (a.Completion != b.Completion || a.Conversions.Count != b.Conversions.Count)
        {
            return false;
        }
        var counts = a.Conversions.CountBy(c => c).ToDictionary();
        foreach (var conversion in b.Conversions)
        {
            if (counts.GetValueOrDefault(conversion) == 0)
            {
                return false;
            }
            counts[conversion]--;
        }
        return true;
    }

    public static readonly StoredResult Nothing = new(null, []);
}
