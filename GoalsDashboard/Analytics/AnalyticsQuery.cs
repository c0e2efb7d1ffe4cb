namespace GoalsDashboard.Analytics;

public enum TrendInterval { Day, Week, Month }

/// <summary>
/// The optional filters of every analytics view (docs/analytics.md): site and channel narrow completions,
/// conversions and the events of the denominator; a campaign (by key) keeps its attributed figures and
/// makes the audience the denominator; a segment (by id) keeps its current members.
/// </summary>
public sealed record AnalyticsFilters(string? Site = null, string? Channel = null, string? Campaign = null, int? Segment = null)
{
    public static readonly AnalyticsFilters None = new();

    public bool IsEmpty => Site is null && Channel is null && Campaign is null && Segment is null;
}

/// <summary>A period of whole days in the workspace time zone, a trend interval and filters.</summary>
public sealed record AnalyticsQuery(DateOnly From, DateOnly To, TrendInterval Interval = TrendInterval.Day, AnalyticsFilters? Filters = null)
{
    public AnalyticsFilters Where => Filters ?? AnalyticsFilters.None;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of equal length just before this one, for "change vs previous period".</summary>
    public AnalyticsQuery Previous() => this with { From = From.AddDays(-Days), To = From.AddDays(-1) };
}

/// <summary>A filter or query that names something that does not exist, or a period that is not one.</summary>
public sealed class AnalyticsQueryException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
