using Bunit;
using Microsoft.Extensions.DependencyInjection;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Components.Goals;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Components;

public class AnalyticsComponentTests : MudComponentTest, IClassFixture<EmptyAppFixture>
{
    // The trend chart lists and draws the workspace's notes (ChartNotes), read through the app's service.
    public AnalyticsComponentTests(EmptyAppFixture app)
    {
        Context.Services.AddSingleton(app.Factory.Services.GetRequiredService<GoalsDashboard.Services.AnnotationService>());
        Context.Services.AddSingleton(app.Factory.Services.GetRequiredService<GoalsDashboard.Services.AnalyticsService>());
    }

    private static GoalStats Stats(int completions, int denominator, double? median = 3600, decimal revenue = 0, string? currency = null) =>
        new(Guid.NewGuid(), new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), completions, completions + 1, denominator, denominator,
            denominator == 0 ? 0 : completions * 100.0 / denominator, new RevenueStats(revenue, revenue == 0 ? null : revenue, revenue == 0 ? 0 : 1, currency),
            median, [], GoalBreakdowns.Empty);

    [Fact]
    public void KpiCard_ShowsTheFigure_AndItsChangeAgainstThePreviousPeriod()
    {
        var up = Context.Render<KpiCard>(p => p.Add(c => c.Label, "Completions").Add(c => c.Value, "120")
            .Add(c => c.Change, KpiChange.Relative(120, 100, "vs previous 30 days")));
        Assert.Equal("120", up.Find("[data-testid=kpi-value]").TextContent);
        Assert.Contains("+20%", up.Find("[data-testid=kpi-change]").TextContent);
        Assert.Contains("vs previous 30 days", up.Find("[data-testid=kpi-change]").TextContent);
        Assert.Contains("mud-success-text", up.Find("[data-testid=kpi-change]").InnerHtml);

        var down = Context.Render<KpiCard>(p => p.Add(c => c.Label, "Completion rate").Add(c => c.Value, "4.0%")
            .Add(c => c.Change, KpiChange.Points(4.0, 5.25, "vs previous 7 days")));
        Assert.Contains("-1.3 pts", down.Find("[data-testid=kpi-change]").TextContent);
        Assert.Contains("mud-error-text", down.Find("[data-testid=kpi-change]").InnerHtml);

        var none = Context.Render<KpiCard>(p => p.Add(c => c.Label, "Conversions").Add(c => c.Value, "3")
            .Add(c => c.Change, KpiChange.Relative(3, 0, "vs previous 7 days")));
        Assert.Contains("new", none.Find("[data-testid=kpi-change]").TextContent);
    }

    private static Goal Goal(string? currency = null, decimal? defaultValue = null) => GoalsDashboard.Domain.Goal.Create(GoalRules.Normalize(new GoalDraft
    {
        Name = "Signup", Type = currency is null ? GoalType.CustomEvent : GoalType.Revenue, Currency = currency, DefaultValue = defaultValue,
        Groups = [new ConditionGroup([Condition.ForEvent("signup")])],
    }), "ann@example.com", DateTimeOffset.UnixEpoch);

    [Fact]
    public void GoalKpis_ShowNoChange_WhenThePreviousPeriodHadTooLittleData_AndAChangeWhenItHadEnough()
    {
        var view = AnalyticsView.Default(new DateOnly(2026, 3, 31));
        // 2 active profiles against 480: a percentage would read +26,000%.
        var thin = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(120, 480)).Add(c => c.Previous, Stats(1, 2))
            .Add(c => c.Goal, Goal()).Add(c => c.View, view));
        var changes = thin.FindAll("[data-testid=kpi-change]").Select(c => c.TextContent).ToList();
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.Contains("—", c));
        Assert.All(changes, c => Assert.DoesNotContain("%", c.Replace("too little data", "")));
        Assert.Contains("too little data then (2 active profiles)", changes[0]);

        var enough = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(120, 480)).Add(c => c.Previous, Stats(100, 400))
            .Add(c => c.Goal, Goal()).Add(c => c.View, view));
        Assert.Contains("+20%", enough.Find("[data-testid=kpi-completions] [data-testid=kpi-change]").TextContent);
    }

    [Fact]
    public void GoalKpis_SayWhatEachFigureCounts_ActiveProfilesIncluded()
    {
        var kpis = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(10, 100)).Add(c => c.Goal, Goal())
            .Add(c => c.View, AnalyticsView.Default(new DateOnly(2026, 3, 31))));
        var help = kpis.FindAll("[data-testid=kpi-help]");
        Assert.Equal(kpis.FindAll("[data-testid^=kpi-]").Count(e => e.GetAttribute("data-testid") is "kpi-completions" or "kpi-rate" or "kpi-conversions" or "kpi-time"), help.Count);
        Assert.Contains("active profiles: the profiles with at least one tracked event in the period",
            kpis.Find("[data-testid=kpi-rate] [data-testid=kpi-help]").GetAttribute("aria-label"));
        Assert.Contains("once, ever", kpis.Find("[data-testid=kpi-completions] [data-testid=kpi-help]").GetAttribute("aria-label"));
        Assert.Equal("0", kpis.Find("[data-testid=kpi-rate] [data-testid=kpi-help]").GetAttribute("tabindex"));
    }

    [Fact]
    public void TrendChart_MarksTodaysBucketAsPartial_OnlyWhenThePeriodEndsToday()
    {
        IReadOnlyList<TrendRow> rows = [new(new DateOnly(2026, 3, 30), 20, 21, 100, 20), new(new DateOnly(2026, 3, 31), 2, 2, 48, 4.2)];
        var today = new DateOnly(2026, 3, 31);
        var ending = Context.Render<TrendChart>(p => p.Add(c => c.Rows, rows).Add(c => c.Interval, TrendInterval.Day)
            .Add(c => c.Today, today).Add(c => c.PeriodEnd, today));
        Assert.Contains("includes today", ending.Find("[data-testid=trend-partial]").TextContent);
        var past = Context.Render<TrendChart>(p => p.Add(c => c.Rows, rows).Add(c => c.Interval, TrendInterval.Day)
            .Add(c => c.Today, today.AddDays(3)).Add(c => c.PeriodEnd, today));
        Assert.Empty(past.FindAll("[data-testid=trend-partial]"));
    }

    [Fact]
    public void TrendChart_ShowsThePreviousPeriodsCompletions_BucketByBucket_WhenGiven()
    {
        IReadOnlyList<TrendRow> rows = [new(new DateOnly(2026, 3, 30), 20, 21, 100, 20), new(new DateOnly(2026, 3, 31), 2, 2, 48, 4.2)];
        var previous = Stats(7, 90) with { From = new DateOnly(2026, 3, 28), To = new DateOnly(2026, 3, 29), Trend = [new(new DateOnly(2026, 3, 28), 7, 7, 90, 7.8)] };
        var chart = Context.Render<TrendChart>(p => p.Add(c => c.Rows, rows).Add(c => c.Interval, TrendInterval.Day).Add(c => c.Previous, previous));
        var series = System.Text.Json.JsonSerializer.SerializeToElement(chart.FindComponent<GoalsDashboard.Components.Charts.ApexChart>().Instance.Series);
        Assert.Equal(3, series.GetArrayLength());
        Assert.Equal("Completions, previous period (28 Mar – 29 Mar)", series[2].GetProperty("name").GetString());
        Assert.Equal("[7,null]", series[2].GetProperty("data").GetRawText());
        var options = System.Text.Json.JsonSerializer.SerializeToElement(chart.FindComponent<GoalsDashboard.Components.Charts.ApexChart>().Instance.Options);
        Assert.Equal("Completions, previous period (28 Mar – 29 Mar)", options.GetProperty("yaxis")[0].GetProperty("seriesName")[1].GetString());

        var alone = Context.Render<TrendChart>(p => p.Add(c => c.Rows, rows).Add(c => c.Interval, TrendInterval.Day));
        Assert.Equal(2, System.Text.Json.JsonSerializer.SerializeToElement(alone.FindComponent<GoalsDashboard.Components.Charts.ApexChart>().Instance.Series).GetArrayLength());
    }

    [Theory]
    [InlineData("Viewer", false)]
    [InlineData("Editor", true)]
    public async Task ChartNotes_ListThePeriodsNotes_AndOnlyEditorsCanRemoveOrAddOne(string role, bool canEdit)
    {
        var day = new DateOnly(2024, 2, 10);
        var text = HttpJson.Unique("Note for " + role);
        Context.AddAuthorization().SetAuthorized("someone@test.local").SetRoles(role);
        await Context.Services.GetRequiredService<GoalsDashboard.Services.AnnotationService>().AddAsync(day, text, "editor@test.local");
        var notes = Context.Render<ChartNotes>(p => p.Add(c => c.From, day.AddDays(-3)).Add(c => c.To, day));
        notes.WaitForAssertion(() => Assert.Contains(notes.FindAll("[data-testid=chart-note]"), c => c.TextContent.Contains(text, StringComparison.Ordinal)));
        var chip = notes.FindAll("[data-testid=chart-note]").Single(c => c.TextContent.Contains(text, StringComparison.Ordinal));
        Assert.Equal(canEdit, chip.QuerySelector(".mud-chip-close-button") is not null);
        Assert.Equal(canEdit, notes.FindAll("[data-testid=add-note]").Count == 1);
    }

    [Fact]
    public void CompareTable_WritesMoneyWithItsCurrency_AndAValueAsAValue()
    {
        var table = Context.Render<CompareTable>(p => p.Add(c => c.Rows, new CompareTable.Row[]
        {
            new(0, "Purchase", null, Stats(10, 100, revenue: 9745, currency: "EUR")),
            new(1, "Demo booked", null, Stats(10, 100, revenue: 1685)),
            new(2, "Signup", null, Stats(10, 100)),
        }));
        var cells = table.FindAll("[data-testid=compare-revenue]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["9,745.00 EUR", "1,685.00 value"], cells);
        Assert.Contains("Revenue or value", table.Markup);
    }

    [Fact]
    public void GoalKpis_ShowAValueCard_OnlyForGoalsThatHaveAValue()
    {
        var view = AnalyticsView.Default(new DateOnly(2026, 3, 31));
        var plain = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(10, 100)).Add(c => c.Goal, Goal()).Add(c => c.View, view));
        Assert.Empty(plain.FindAll("[data-testid=kpi-revenue]"));
        var revenue = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(10, 100, revenue: 70, currency: "EUR")).Add(c => c.Goal, Goal("EUR"))
            .Add(c => c.View, view));
        Assert.Contains("Revenue (EUR)", revenue.Find("[data-testid=kpi-revenue]").TextContent);
        var valued = Context.Render<GoalKpis>(p => p.Add(c => c.Stats, Stats(10, 100)).Add(c => c.Goal, Goal(defaultValue: 5)).Add(c => c.View, view));
        Assert.Single(valued.FindAll("[data-testid=kpi-revenue]"));
    }

    [Fact]
    public void BreakdownTable_ListsRowsWithDenominatorAndRate_AndNamesTheMissingValue()
    {
        IReadOnlyList<BreakdownRow> rows =
        [
            new("email", "email", 30, 33, 200, 15.0),
            new(null, "(none)", 2, 2, 80, 2.5),
        ];
        var table = RenderWithPopovers<BreakdownTable>((nameof(BreakdownTable.Rows), rows), (nameof(BreakdownTable.Dimension), "channel"));
        var cells = table.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(["email", "30", "33", "200", "15.0%"], cells[0]);
        Assert.Equal(["(none)", "2", "2", "80", "2.5%"], cells[1]);
        Assert.Contains("Active profiles", table.Find("thead").TextContent);
    }

    [Fact]
    public void BreakdownTable_ByCampaign_CallsTheDenominatorAudience_AndExplainsAnEmptyOne()
    {
        var campaigns = RenderWithPopovers<BreakdownTable>((nameof(BreakdownTable.Rows), Array.Empty<BreakdownRow>()), (nameof(BreakdownTable.Dimension), "campaign"));
        Assert.Contains("Audience", campaigns.Find("thead").TextContent);
        Assert.Contains("No campaign has an audience yet", campaigns.Markup);
    }

    [Fact]
    public void CompareTable_ShowsGoalsSideBySide_WithTargetStatus()
    {
        IReadOnlyList<CompareTable.Row> rows =
        [
            new(0, "Trial Signup Completed", 12, Stats(166, 1000)),
            new(1, "First Purchase Made", 3, Stats(28, 1000, revenue: 9951m, currency: "EUR")),
            new(2, "Docs Reader", null, Stats(0, 1000, median: null)),
        ];
        var table = RenderWithPopovers<CompareTable>((nameof(CompareTable.Rows), rows));
        var trs = table.FindAll("tbody tr");
        Assert.Equal(3, trs.Count);
        Assert.Contains("16.6%", trs[0].TextContent);
        Assert.Contains("On track · 12%", trs[0].QuerySelector("[data-testid=target-status]")!.TextContent);
        Assert.Contains("Behind · 3%", trs[1].QuerySelector("[data-testid=target-status]")!.TextContent);
        Assert.Contains("9,951.00 EUR", trs[1].TextContent);
        Assert.Contains("No target", trs[2].TextContent);
        Assert.Contains("1 h", trs[0].TextContent);
        Assert.Contains("—", trs[2].TextContent);
    }
}
