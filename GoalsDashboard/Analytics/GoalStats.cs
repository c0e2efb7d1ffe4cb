namespace GoalsDashboard.Analytics;

/// <summary>Every figure of docs/analytics.md for one goal over one period and filters.</summary>
public sealed record GoalStats(
    Guid GoalId,
    DateOnly From,
    DateOnly To,
    int Completions,
    int Conversions,
    int ActiveProfiles,
    int Denominator,
    double CompletionRate,
    RevenueStats Revenue,
    double? MedianTimeToConvertSeconds,
    IReadOnlyList<TrendRow> Trend,
    GoalBreakdowns Breakdowns);

/// <summary><see cref="Total"/> sums the valued conversions; <see cref="Average"/> is null when there are none.</summary>
public sealed record RevenueStats(decimal Total, decimal? Average, int ValuedConversions, string? Currency);

public sealed record TrendRow(DateOnly Date, int Completions, int Conversions, int ActiveProfiles, double CompletionRate);

/// <summary>
/// One row of a breakdown. <see cref="Value"/> is the channel, site or campaign key (null for "none"),
/// or the segment's id; <see cref="Label"/> is what a person reads (site label, campaign or segment name).
/// </summary>
public sealed record BreakdownRow(string? Value, string Label, int Completions, int Conversions, int Denominator, double CompletionRate);

public sealed record GoalBreakdowns(
    IReadOnlyList<BreakdownRow> Channel,
    IReadOnlyList<BreakdownRow> Site,
    IReadOnlyList<BreakdownRow> Campaign,
    IReadOnlyList<BreakdownRow> Segment)
{
    public static readonly GoalBreakdowns Empty = new([], [], [], []);
}

/// <summary>One completion for the details page's list.</summary>
public sealed record CompletionRow(string ProfileId, DateTimeOffset CompletedAt, string? Channel, string? Site, decimal? Value);

/// <summary>
/// An event name or page path done before completing by a larger share of converters than of the
/// period's other active profiles. <see cref="Lift"/> = converter share ÷ other share (null when no
/// other profile did it).
/// </summary>
public sealed record ConverterInterest(string Kind, string Value, int Converters, double ConverterShare, int Others, double OtherShare, double? Lift);

/// <summary>The arithmetic of docs/analytics.md, in one place.</summary>
public static class Rates
{
    public static double Of(int completions, int denominator) => denominator == 0 ? 0 : completions * 100.0 / denominator;

    /// <summary>The median; an even count takes the mean of the two middle values; none → null.</summary>
    public static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
