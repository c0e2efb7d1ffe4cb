using System.Text;
using GoalsDashboard.Analytics;
using GoalsDashboard.Services;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>Exported files: rates as people read them (two decimals at most), names that say what is inside.</summary>
public class CsvExportTests
{
    private static readonly AnalyticsQuery March = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

    [Fact]
    public void Rates_HaveAtMostTwoDecimals_AndWholeOnesNone()
    {
        var stats = new GoalStats(Guid.NewGuid(), March.From, March.To, 2, 2, 3, 3, 200.0 / 3, new RevenueStats(0, null, 0, null), 1234.5678,
            [new TrendRow(March.From, 2, 2, 3, 200.0 / 3), new TrendRow(March.From.AddDays(1), 1, 1, 2, 50)], GoalBreakdowns.Empty);
        var lines = Encoding.UTF8.GetString(CsvExports.Trend(stats)[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2026-03-01,2,2,3,66.67", lines[1]);
        Assert.Equal("2026-03-02,1,1,2,50", lines[2]);
    }

    [Theory]
    [InlineData("Trial Signup Completed", "trend", "goal-trial-signup-completed-trend-2026-03-01-to-2026-03-31.csv")]
    [InlineData("Käufe > 50 € (DE)", "completions", "goal-käufe-50-de-completions-2026-03-01-to-2026-03-31.csv")]
    [InlineData("<script>", "trend", "goal-script-trend-2026-03-01-to-2026-03-31.csv")]
    [InlineData(null, "", "goal-2026-03-01-to-2026-03-31.csv")]
    public void FileNames_CarryTheNameAndThePeriod(string? name, string kind, string expected) =>
        Assert.Equal(expected, CsvExports.FileName("goal", name, kind, March));
}
