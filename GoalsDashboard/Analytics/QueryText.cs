using System.Globalization;

namespace GoalsDashboard.Analytics;

/// <summary>The named periods of the period picker.</summary>
public enum PeriodPreset { Last7Days, Last30Days, Last90Days, ThisMonth, LastMonth, Custom }

public static class PeriodPresets
{
    public static readonly PeriodPreset[] All = Enum.GetValues<PeriodPreset>();

    public static string Label(this PeriodPreset preset) => preset switch
    {
        PeriodPreset.Last7Days => "Last 7 days",
        PeriodPreset.Last30Days => "Last 30 days",
        PeriodPreset.Last90Days => "Last 90 days",
        PeriodPreset.ThisMonth => "This month",
        PeriodPreset.LastMonth => "Last month",
        _ => "Custom range",
    };

    /// <summary>The value kept in the page's address (<c>range=30d</c>).</summary>
    public static string Slug(this PeriodPreset preset) => preset switch
    {
        PeriodPreset.Last7Days => "7d",
        PeriodPreset.Last30Days => "30d",
        PeriodPreset.Last90Days => "90d",
        PeriodPreset.ThisMonth => "month",
        PeriodPreset.LastMonth => "last-month",
        _ => "custom",
    };

    public static PeriodPreset? FromSlug(string? slug) => All.Cast<PeriodPreset?>().FirstOrDefault(p => p!.Value.Slug() == slug);

    /// <summary>The days a preset covers, ending today (in the workspace time zone).</summary>
    public static (DateOnly From, DateOnly To) Resolve(this PeriodPreset preset, DateOnly today) => preset switch
    {
        PeriodPreset.Last7Days => (today.AddDays(-6), today),
        PeriodPreset.Last90Days => (today.AddDays(-89), today),
        PeriodPreset.ThisMonth => (new DateOnly(today.Year, today.Month, 1), today),
        PeriodPreset.LastMonth => (new DateOnly(today.Year, today.Month, 1).AddMonths(-1), new DateOnly(today.Year, today.Month, 1).AddDays(-1)),
        _ => (today.AddDays(-29), today),
    };
}

/// <summary>
/// Reads a query from the text of an address (<c>from</c>, <c>to</c>, <c>interval</c>, <c>site</c>,
/// <c>channel</c>, <c>campaign</c>, <c>segment</c>), the same way for the stats API, the CSV exports and
/// the pages. Missing dates mean the last 30 days.
/// </summary>
public static class QueryText
{
    public static (AnalyticsQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? from, string? to, string? interval, string? site, string? channel, string? campaign, string? segment, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var toDate = Date(to, "to", today, errors);
        var fromDate = Date(from, "from", toDate.DayNumber - 29 >= MinDate.DayNumber ? toDate.AddDays(-29) : MinDate, errors);
        var trend = interval?.Trim().ToLowerInvariant() switch
        {
            null or "" or "day" => TrendInterval.Day,
            "week" => TrendInterval.Week,
            "month" => TrendInterval.Month,
            _ => (TrendInterval?)null,
        };
        if (trend is null)
        {
            errors["interval"] = ["interval is day, week or month."];
        }
        int? segmentId = null;
        if (!string.IsNullOrWhiteSpace(segment))
        {
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                segmentId = id;
            }
            else
            {
                errors["segment"] = ["segment is a segment's id (a whole number)."];
            }
        }
        if (errors.Count == 0 && fromDate > toDate)
        {
            errors["from"] = ["The period starts after it ends: from must be on or before to."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var filters = new AnalyticsFilters(Blank(site), Blank(channel), Blank(campaign), segmentId);
        return (new AnalyticsQuery(fromDate, toDate, trend!.Value, filters), errors);
    }

    /// <summary>The earliest date a query may name: no event can be stored before 1970 (docs/api.md, "Input ranges").</summary>
    public static readonly DateOnly MinDate = new(1970, 1, 1);

    /// <summary>The latest: leaves room for a period's buckets and the previous period without leaving the calendar.</summary>
    public static readonly DateOnly MaxDate = new(9999, 12, 1);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Format(TrendInterval interval) => interval.ToString().ToLowerInvariant();

    private static DateOnly Date(string? text, string field, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        var date = ParseDate(text, field, out var problem);
        if (problem is not null)
        {
            errors[field] = [problem];
        }
        return date ?? fallback;
    }

    /// <summary>
    /// A date written YYYY-MM-DD between <see cref="MinDate"/> and <see cref="MaxDate"/>; null when blank, or null with
    /// the <paramref name="problem"/> (naming <paramref name="field"/>) when it is not such a date.
    /// </summary>
    public static DateOnly? ParseDate(string? text, string field, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problem = $"{field} is a date written as YYYY-MM-DD, like 2026-03-01.";
            return null;
        }
        if (date < MinDate || date > MaxDate)
        {
            problem = $"{field} must lie between {Format(MinDate)} and {Format(MaxDate)}.";
            return null;
        }
        return date;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
