using System.Globalization;

namespace GoalsDashboard.Components.Analytics;

public static class Durations
{
    /// <summary>A duration in seconds, the way a person says it: "45 s", "12 min", "5.2 h", "3.4 days"; "—" for none.</summary>
    public static string Format(double? seconds) => seconds switch
    {
        null => "—",
        < 60 => $"{seconds.Value.ToString("0", CultureInfo.InvariantCulture)} s",
        < 3600 => $"{(seconds.Value / 60).ToString("0", CultureInfo.InvariantCulture)} min",
        < 86_400 => $"{(seconds.Value / 3600).ToString("0.#", CultureInfo.InvariantCulture)} h",
        _ => $"{(seconds.Value / 86_400).ToString("0.#", CultureInfo.InvariantCulture)} days",
    };
}
