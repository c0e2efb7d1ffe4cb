using System.Globalization;
using GoalsDashboard.Analytics;

namespace GoalsDashboard.Components.Analytics;

public static class ChartLabels
{
    /// <summary>A trend bucket's label on an axis: "3 Mar" for days and weeks (the week's first day in the period), "Mar 2026" for months.</summary>
    public static string Of(DateOnly date, TrendInterval interval) =>
        date.ToString(interval == TrendInterval.Month ? "MMM yyyy" : "d MMM", CultureInfo.InvariantCulture);

    public static string Name(this TrendInterval interval) => interval switch
    {
        TrendInterval.Week => "Week",
        TrendInterval.Month => "Month",
        _ => "Day",
    };

    /// <summary>Rates are plotted rounded: ApexCharts cannot be handed a formatter through JSON.</summary>
    public static double Rate(double rate) => Math.Round(rate, 2);

    /// <summary>
    /// For trend charts at phone width (ApexCharts' responsive option): a label every few buckets, as twelve rotated
    /// labels overlap in 390 px.
    /// </summary>
    public static readonly object[] PhoneTrend = [new { breakpoint = 600, options = new { xaxis = new { tickAmount = 5 } } }];

    public static readonly string[] Palette = ["#4f46e5", "#0891b2", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"];
}
