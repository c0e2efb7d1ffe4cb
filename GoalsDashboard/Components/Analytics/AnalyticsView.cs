using System.Globalization;
using GoalsDashboard.Analytics;

namespace GoalsDashboard.Components.Analytics;

/// <summary>
/// What an analytics page shows — period, trend interval and filters — as kept in its address, so that
/// a view can be shared and bookmarked: <c>?range=30d&amp;interval=week&amp;channel=email</c>, or
/// <c>?range=custom&amp;from=2026-03-01&amp;to=2026-03-31</c>.
/// </summary>
public sealed record AnalyticsView(PeriodPreset Preset, DateOnly From, DateOnly To, TrendInterval Interval, AnalyticsFilters Filters)
{
    public AnalyticsQuery Query => new(From, To, Interval, Filters);

    public int Days => To.DayNumber - From.DayNumber + 1;

    public string PeriodLabel => Preset == PeriodPreset.Custom
        ? $"{From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
        : Preset.Label();

    public string AgainstLabel => $"vs previous {Days} day{(Days == 1 ? "" : "s")}";

    public static AnalyticsView Default(DateOnly today)
    {
        var (from, to) = PeriodPreset.Last30Days.Resolve(today);
        return new AnalyticsView(PeriodPreset.Last30Days, from, to, TrendInterval.Day, AnalyticsFilters.None);
    }

    /// <summary>
    /// Reads the address. A value that cannot be read falls back to the default and is reported in
    /// <paramref name="problem"/>, so the page can say so instead of failing.
    /// </summary>
    public static AnalyticsView FromAddress(string? range, string? from, string? to, string? interval, string? site, string? channel,
        string? campaign, string? segment, DateOnly today, out string? problem)
    {
        problem = null;
        var preset = string.IsNullOrEmpty(range) ? (from is null && to is null ? PeriodPreset.Last30Days : PeriodPreset.Custom) : PeriodPresets.FromSlug(range);
        if (preset is null)
        {
            problem = $"\"{range}\" is not a period this page knows; showing the last 30 days.";
            preset = PeriodPreset.Last30Days;
        }
        var (query, errors) = preset == PeriodPreset.Custom
            ? QueryText.Parse(from, to, interval, site, channel, campaign, segment, today)
            : QueryText.Parse(null, null, interval, site, channel, campaign, segment, today);
        if (query is null)
        {
            problem = string.Join(" ", errors.SelectMany(e => e.Value)) + " Showing the last 30 days without filters.";
            return Default(today);
        }
        var (presetFrom, presetTo) = preset.Value.Resolve(today);
        return preset == PeriodPreset.Custom
            ? new AnalyticsView(PeriodPreset.Custom, query.From, query.To, query.Interval, query.Where)
            : new AnalyticsView(preset.Value, presetFrom, presetTo, query.Interval, query.Where);
    }

    /// <summary>The address's query parameters (null removes one).</summary>
    public IReadOnlyDictionary<string, object?> ToAddress() => new Dictionary<string, object?>
    {
        ["range"] = Preset == PeriodPreset.Last30Days ? null : Preset.Slug(),
        ["from"] = Preset == PeriodPreset.Custom ? QueryText.Format(From) : null,
        ["to"] = Preset == PeriodPreset.Custom ? QueryText.Format(To) : null,
        ["interval"] = Interval == TrendInterval.Day ? null : QueryText.Format(Interval),
        ["site"] = Filters.Site,
        ["channel"] = Filters.Channel,
        ["campaign"] = Filters.Campaign,
        ["segment"] = Filters.Segment?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The address's query string (<c>range=custom&amp;from=…</c>), to open another page in the same view.</summary>
    public string AddressQuery() => string.Join('&', ToAddress().Where(p => p.Value is not null)
        .Select(p => $"{p.Key}={Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)}"));

    /// <summary>The query string of the CSV exports: the same period, interval and filters.</summary>
    public string ExportQuery()
    {
        var parts = new List<string> { $"from={QueryText.Format(From)}", $"to={QueryText.Format(To)}", $"interval={QueryText.Format(Interval)}" };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("site", Filters.Site);
        Add("channel", Filters.Channel);
        Add("campaign", Filters.Campaign);
        Add("segment", Filters.Segment?.ToString(CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    public AnalyticsView WithPreset(PeriodPreset preset, DateOnly today)
    {
        if (preset == PeriodPreset.Custom)
        {
            return this with { Preset = preset };
        }
        var (from, to) = preset.Resolve(today);
        return this with { Preset = preset, From = from, To = to };
    }
}
