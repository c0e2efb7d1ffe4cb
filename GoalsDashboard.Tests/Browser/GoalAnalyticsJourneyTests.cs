using GoalsDashboard.Analytics;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class GoalAnalyticsJourneyTests(BrowserFixture browser)
{
    private AnalyticsService Analytics => browser.Factory.Services.GetRequiredService<AnalyticsService>();

    private async Task<string> KpiAsync(IPage page, string kpi) =>
        (await page.Locator($"[data-testid={kpi}] [data-testid=kpi-value]").TextContentAsync())!.Trim();

    [Fact]
    public async Task Marketer_ChangesPeriodAndFilter_SeesTheNumbersChange_DownloadsCsv_AndComparesThreeGoals()
    {
        var goal = await browser.Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Name == "Trial Signup Completed"));
        var page = await browser.NewPageAsync();
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=trend] .apexcharts-canvas").WaitForAsync();
            var today = Analytics.Today;
            var month = (await Analytics.StatsAsync(goal.Id, new AnalyticsQuery(today.AddDays(-29), today)))!;
            await BrowserFixture.ExpectKpiAsync(page, "kpi-completions", month.Completions.ToString("N0"));
            await BrowserFixture.ShotAsync(page, "goal-details-1366.png");

            // A shorter period: the address keeps it, the figures follow.
            await BrowserFixture.PickAsync(page, "period", "Last 7 days");
            await page.WaitForURLAsync("**range=7d**");
            var week = (await Analytics.StatsAsync(goal.Id, new AnalyticsQuery(today.AddDays(-6), today)))!;
            await BrowserFixture.ExpectKpiAsync(page, "kpi-completions", week.Completions.ToString("N0"));
            await BrowserFixture.ExpectKpiAsync(page, "kpi-conversions", week.Conversions.ToString("N0"));
            Assert.True(month.Completions > week.Completions);

            // A filter on top.
            await BrowserFixture.PickAsync(page, "filter-channel", "email");
            await page.WaitForURLAsync("**channel=email**");
            Assert.Contains("range=7d", page.Url);
            var email = (await Analytics.StatsAsync(goal.Id, new AnalyticsQuery(today.AddDays(-6), today, Filters: new AnalyticsFilters(Channel: "email"))))!;
            await BrowserFixture.ExpectKpiAsync(page, "kpi-completions", email.Completions.ToString("N0"));
            await BrowserFixture.ExpectKpiAsync(page, "kpi-rate", $"{email.CompletionRate:0.0}%");
            await page.Locator("[data-testid=clear-filters]").WaitForAsync();
            // The breakdown chart writes rates as the tables do: one decimal and a per cent sign.
            await Assertions.Expect(page.Locator("[data-testid=breakdowns] .apexcharts-datalabels text").First)
                .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d%$"));

            // The same view again from its address alone.
            await page.GotoAsync(page.Url);
            await BrowserFixture.WaitForCircuitAsync(page);
            await BrowserFixture.ExpectKpiAsync(page, "kpi-completions", email.Completions.ToString("N0"));

            // Escape closes the export menu, and gives the focus back to its button.
            await page.Locator("[data-testid=export-menu] button").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=export-trend]")).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("[data-testid=export-trend]")).ToBeHiddenAsync();
            Assert.True(await page.EvaluateAsync<bool>("document.activeElement.closest('[data-testid=export-menu]') !== null"));

            // The trend as CSV: header and one row per day of the period, named after the goal.
            await page.Locator("[data-testid=export-menu]").ClickAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-trend]").ClickAsync());
            Assert.Matches(@"^goal-[a-z0-9-]+-trend-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
            var csv = await File.ReadAllLinesAsync(await download.PathAsync());
            Assert.Equal("date,completions,conversions,active_profiles,completion_rate", csv[0]);
            Assert.Equal(8, csv.Length);
            Assert.Equal(email.Trend.Select(t => $"{t.Date:yyyy-MM-dd},{t.Completions},{t.Conversions},{t.ActiveProfiles}"),
                csv.Skip(1).Select(line => string.Join(',', line.Split(',').Take(4))));

            // Phone width: the same page, readable.
            await page.SetViewportSizeAsync(390, 844);
            await BrowserFixture.ShotAsync(page, "goal-details-390.png");
            await page.SetViewportSizeAsync(1366, 768);

            // Compare three goals from the list.
            await page.GotoAsync($"{browser.BaseUrl}/goals");
            await BrowserFixture.WaitForCircuitAsync(page);
            var boxes = page.Locator("tbody tr .mud-checkbox input");
            for (var i = 0; i < 3; i++)
            {
                await boxes.Nth(i).CheckAsync();
            }
            await page.Locator("[data-testid=bulk-compare]").ClickAsync();
            await page.WaitForURLAsync("**/goals/compare?ids=**");
            await BrowserFixture.WaitForCircuitAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("[data-testid=compare-chip]")).ToHaveCountAsync(3);
            await page.Locator("[data-testid=compare-trend] .apexcharts-canvas").WaitForAsync();
            await BrowserFixture.ShotAsync(page, "goal-compare-1366.png");

            // Removing a chip removes the goal from the comparison and the address.
            await page.Locator("[data-testid=compare-chip] .mud-chip-close-button").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(2);
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "analytics-journey-failure.png", ex);
        }
    }

    [Fact]
    public async Task DetailsPage_UpdatesByItself_WhenANewCompletionArrives()
    {
        var goal = await browser.Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Name == "Trial Signup Completed"));
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}?range=7d");
        await BrowserFixture.WaitForCircuitAsync(page);
        var today = Analytics.Today;
        var before = (await Analytics.StatsAsync(goal.Id, new AnalyticsQuery(today.AddDays(-6), today)))!.Completions;
        await BrowserFixture.ExpectKpiAsync(page, "kpi-completions", before.ToString("N0"));

        using var client = browser.Factory.ApiClient();
        var profile = $"live-{Guid.NewGuid():N}";
        using var response = await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"signup_completed","channel":"email"}""");
        Assert.True(response.IsSuccessStatusCode);

        // No reload: the page refreshes within a few seconds of the new result.
        await Assertions.Expect(page.Locator("[data-testid=kpi-completions] [data-testid=kpi-value]"))
            .ToHaveTextAsync((before + 1).ToString("N0"), new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=recent-completions]")).ToContainTextAsync(profile, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task ANoteAddedFromAGoalsChart_ShowsOnTheFunnelChartToo_AsText_AndCanBeRemoved()
    {
        var goal = await browser.Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Name == "Trial Signup Completed"));
        var funnel = await browser.Factory.QueryAsync(db => db.Funnels.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Id).FirstAsync());
        var (page, problems) = await browser.WatchedPageAsync();
        const string Note = "Launch <img src=x onerror=alert(1)>";
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}?range=7d");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=trend] [data-testid=add-note]").ClickAsync();
            await BrowserFixture.Input(page, "annotation-text").FillAsync(Note);
            await page.ClickAsync("[data-testid=save-annotation]");
            await Assertions.Expect(page.Locator("[data-testid=trend] [data-testid=chart-note]", new() { HasText = Note })).ToBeVisibleAsync();
            // Drawn on the chart, on today's bar, as text.
            await Assertions.Expect(page.Locator("[data-testid=trend] .apexcharts-xaxis-annotations text", new() { HasText = "Launch <img" })).ToHaveCountAsync(1);
            await BrowserFixture.ShotAsync(page, "note-on-goal-1366.png");

            await page.GotoAsync($"{browser.BaseUrl}/funnels/{funnel}?range=7d");
            await BrowserFixture.WaitForCircuitAsync(page);
            var chip = page.Locator("[data-testid=funnel-trend] [data-testid=chart-note]", new() { HasText = Note });
            await Assertions.Expect(chip).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=funnel-trend] .apexcharts-xaxis-annotations text", new() { HasText = "Launch <img" })).ToHaveCountAsync(1);
            await chip.Locator(".mud-chip-close-button").ClickAsync();
            await Assertions.Expect(chip).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=funnel-trend] .apexcharts-xaxis-annotations text", new() { HasText = "Launch <img" })).ToHaveCountAsync(0);
            Assert.Equal(0, await browser.Factory.QueryAsync(db => db.Annotations.CountAsync(a => a.Text == Note)));
            Assert.Empty(problems);
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "notes-failure.png", ex);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
