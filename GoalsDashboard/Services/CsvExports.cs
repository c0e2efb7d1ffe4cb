using System.Globalization;
using CsvHelper;
using GoalsDashboard.Analytics;

namespace GoalsDashboard.Services;

/// <summary>
/// CSV files of the figures the pages show. CsvHelper does the quoting and escaping; files are UTF-8
/// with a byte-order mark so that spreadsheet programs read non-ASCII names correctly.
/// </summary>
public static class CsvExports
{
    public static byte[] Trend(GoalStats stats) => Write(csv =>
    {
        Header(csv, "date", "completions", "conversions", "active_profiles", "completion_rate");
        foreach (var row in stats.Trend)
        {
            Row(csv, QueryText.Format(row.Date), row.Completions, row.Conversions, row.ActiveProfiles, row.CompletionRate);
        }
    });

    public static byte[] Breakdowns(GoalStats stats) => Write(csv =>
    {
        Header(csv, "dimension", "value", "label", "completions", "conversions", "denominator", "completion_rate");
        var dimensions = new (string Name, IReadOnlyList<BreakdownRow> Rows)[]
        {
            ("channel", stats.Breakdowns.Channel), ("site", stats.Breakdowns.Site),
            ("campaign", stats.Breakdowns.Campaign), ("segment", stats.Breakdowns.Segment),
        };
        foreach (var (name, rows) in dimensions)
        {
            foreach (var row in rows)
            {
                Row(csv, name, row.Value, row.Label, row.Completions, row.Conversions, row.Denominator, row.CompletionRate);
            }
        }
    });

    public static byte[] Completions(IEnumerable<CompletionRow> rows) => Write(csv =>
    {
        Header(csv, "profile_id", "completed_at", "channel", "site", "value");
        foreach (var row in rows)
        {
            Row(csv, row.ProfileId, row.CompletedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), row.Channel, row.Site, row.Value);
        }
    });

    /// <summary>A funnel's step table, then one block per split value (split empty for all profiles).</summary>
    public static byte[] FunnelSteps(FunnelStats stats) => Write(csv =>
    {
        Header(csv, "split", "step", "goal", "profiles", "percent_of_previous", "percent_of_first", "drop_off", "median_seconds_from_previous");
        foreach (var (split, steps) in stats.Splits.Select(x => (x.Label, x.Steps)).Prepend(("", stats.Steps)))
        {
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                Row(csv, split, i + 1, s.Name, s.Profiles, s.PercentOfPrevious, s.PercentOfFirst, s.DropOff, s.MedianSecondsFromPrevious);
            }
        }
    });

    public static byte[] FunnelTrend(FunnelStats stats) => Write(csv =>
    {
        Header(csv, "date", "started", "finished", "conversion_rate");
        foreach (var row in stats.Trend)
        {
            Row(csv, QueryText.Format(row.Date), row.Started, row.Finished, row.ConversionRate);
        }
    });

    /// <summary>The compare table: one row per goal.</summary>
    public static byte[] Comparison(IEnumerable<(string Name, double? TargetRate, GoalStats Stats)> goals) => Write(csv =>
    {
        Header(csv, "goal", "completions", "denominator", "completion_rate", "conversions", "revenue_total", "revenue_average", "currency",
            "median_time_to_convert_seconds", "target_rate", "target_status");
        foreach (var (name, target, s) in goals)
        {
            Row(csv, name, s.Completions, s.Denominator, s.CompletionRate, s.Conversions, s.Revenue.Total, s.Revenue.Average, s.Revenue.Currency,
                s.MedianTimeToConvertSeconds, target, Targets.StatusOf(s.CompletionRate, target) switch
                {
                    TargetStatus.OnTrack => "on_track",
                    TargetStatus.Behind => "behind",
                    _ => null,
                });
        }
    });

    /// <summary>The compare trend: one row per bucket, a completions and a rate column per goal.</summary>
    public static byte[] ComparisonTrend(IReadOnlyList<(string Name, GoalStats Stats)> goals) => Write(csv =>
    {
        Header(csv, ["date", .. goals.SelectMany(g => new[] { $"{g.Name} completions", $"{g.Name} completion_rate" })]);
        var rows = goals.Count == 0 ? 0 : goals[0].Stats.Trend.Count;
        for (var i = 0; i < rows; i++)
        {
            Row(csv, [QueryText.Format(goals[0].Stats.Trend[i].Date), .. goals.SelectMany(g => new object?[] { g.Stats.Trend[i].Completions, g.Stats.Trend[i].CompletionRate })]);
        }
    });

    /// <summary>
    /// A file name: <paramref name="kind"/> of <paramref name="name"/> (a goal's or funnel's, as lowercase words joined by
    /// hyphens) over the period, e.g. <c>goal-trial-signup-completed-trend-2026-03-01-to-2026-03-31.csv</c>.
    /// </summary>
    public static string FileName(string prefix, string? name, string kind, AnalyticsQuery query)
    {
        var words = string.Join('-', System.Text.RegularExpressions.Regex.Split((name ?? "").ToLowerInvariant(), @"[^\p{L}\p{N}]+").Where(w => w.Length > 0));
        var slug = words.Length > 60 ? words[..60].TrimEnd('-') : words;
        return string.Join('-', new[] { prefix, slug, kind, $"{QueryText.Format(query.From)}-to-{QueryText.Format(query.To)}" }.Where(p => p.Length > 0)) + ".csv";
    }

    // Text that a spreadsheet would run as a formula (a profile id starting with "=") is escaped.
    private static readonly CsvWriterOptions Options = new() { WriteByteOrderMark = true, Injection = CsvInjection.Escape };

    private static byte[] Write(Action<CsvWriter> write)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            write(csv);
        }
        return stream.ToArray();
    }

    private static void Header(CsvWriter csv, params string[] names) => Row(csv, names);

    private static void Row(CsvWriter csv, params object?[] fields)
    {
        foreach (var field in fields)
        {
            // Numbers go in as numbers, so that injection escaping never touches a negative one.
            switch (field)
            {
                case null: csv.WriteField((string?)null); break;
                case int i: csv.WriteField(i, default, CultureInfo.InvariantCulture); break;
                // Rates and seconds to two decimals: more than the pages show, never a double's sixteen.
                case double d: csv.WriteField(Math.Round(d, 2, MidpointRounding.AwayFromZero), "0.##", CultureInfo.InvariantCulture); break;
                case decimal m: csv.WriteField(m, default, CultureInfo.InvariantCulture); break;
                default: csv.WriteField(field.ToString()); break;
            }
        }
        csv.EndRecord();
    }
}
