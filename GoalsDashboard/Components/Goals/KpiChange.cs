using System.Globalization;

namespace GoalsDashboard.Components.Goals;

/// <summary>
/// How a figure moved against the previous period of equal length: <see cref="Text"/> like "+12%" or
/// "+1.5 pts", <see cref="Direction"/> its sign. Up is good for every figure on the page except time to
/// convert, which is shown <see cref="Neutral"/>ly.
/// </summary>
public sealed record KpiChange(string Text, int Direction, string Against, bool Neutral = false)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>Relative change of a count or amount; "new" when the previous period had none.</summary>
    public static KpiChange Relative(double current, double previous, string against, bool neutral = false)
    {
        if (previous == 0)
        {
            return current == 0 ? new KpiChange("no change", 0, against, neutral) : new KpiChange("new", 1, against, neutral);
        }
        var percent = (current - previous) * 100 / previous;
        var rounded = Math.Round(percent, Math.Abs(percent) < 10 ? 1 : 0, MidpointRounding.AwayFromZero);
        return new KpiChange(rounded == 0 ? "no change" : rounded.ToString("+0.#;-0.#", Culture) + "%", Math.Sign(rounded), against, neutral);
    }

    /// <summary>
    /// No change shown ("—"): the previous period had too little activity for a percentage to mean anything (a few
    /// profiles against hundreds reads as +26,733%). See <see cref="Comparable"/>.
    /// </summary>
    public static KpiChange TooLittleData(string against, int previousActiveProfiles) =>
        new("—", 0, $"{against}: too little data then ({previousActiveProfiles:N0} active profiles)");

    /// <summary>
    /// Whether two periods can be compared: the previous one had at least a twentieth of this one's active profiles
    /// (and any at all when this one has some).
    /// </summary>
    public static bool Comparable(int activeProfiles, int previousActiveProfiles) =>
        activeProfiles == 0 || previousActiveProfiles > 0 && previousActiveProfiles * 20 >= activeProfiles;

    /// <summary>Change of a rate in percentage points.</summary>
    public static KpiChange Points(double current, double previous, string against)
    {
        var points = Math.Round(current - previous, 1, MidpointRounding.AwayFromZero);
        return new KpiChange(points == 0 ? "no change" : points.ToString("+0.0;-0.0", Culture) + " pts", Math.Sign(points), against);
    }
}
