using System.Globalization;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class CampaignSegmentJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Marketer_CreatesACampaign_ImportsItsAudience_LinksAGoal_AndSeesAttributionOnBothPages()
    {
        // Three demo profiles who completed the goal lately; the import says they entered an hour before.
        var analytics = browser.Factory.Services.GetRequiredService<AnalyticsService>();
        var goal = await browser.Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Name == "Trial Signup Completed"));
        var since = DateTimeOffset.UtcNow.AddDays(-20);
        var converters = await browser.Factory.QueryAsync(db => db.Completions.AsNoTracking()
            .Where(c => c.GoalId == goal.Id && c.CompletedAt > since)
            .Join(db.Profiles, c => c.ProfileId, p => p.Id, (c, p) => new { p.ExternalId, c.CompletedAt })
            .OrderBy(x => x.ExternalId).Take(3).ToListAsync());
        Assert.Equal(3, converters.Count);
        var csv = "profile_id,entered_at\n" + string.Join('\n', converters.Select(c => $"{c.ExternalId},{c.CompletedAt.AddHours(-1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"))
            + "\nnewcomer-from-the-list,\n";

        var page = await browser.NewPageAsync();
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync($"{browser.BaseUrl}/campaigns");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=new-campaign]").ClickAsync();
            await BrowserFixture.FillAndLeaveAsync(page, "campaign-name", "Autumn partner webinar");
            await BrowserFixture.FillAndLeaveAsync(page, "campaign-key", "autumn-partner-webinar");
            await BrowserFixture.FillAndLeaveAsync(page, "campaign-channel", "email");
            await page.Locator("[data-testid=save-campaign]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/campaigns/\d+$"), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Autumn partner webinar");
            await page.Locator("[data-testid=no-linked-goals]").WaitForAsync();
            await page.Locator("[data-testid=history-panel] .mud-expand-panel-header").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=history-entry]")).ToContainTextAsync("created this campaign");

            // A file with a bad line is refused, with the line named; the fixed file is previewed and imported.
            await page.Locator("[data-testid=open-import]").ClickAsync();
            var file = page.Locator(".mud-dialog input[type=file]").First;
            await file.SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = "profile_id,entered_at\np-1,2026-01-01\n,2026-01-01\n"u8.ToArray() });
            await Assertions.Expect(page.Locator("[data-testid=audience-errors]")).ToContainTextAsync("Line 3");
            await Assertions.Expect(page.Locator("[data-testid=import-audience]")).ToBeDisabledAsync();
            await file.SetInputFilesAsync(new FilePayload { Name = "audience.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
            await Assertions.Expect(page.Locator("[data-testid=audience-summary]")).ToContainTextAsync("4 profiles");
            await Assertions.Expect(page.Locator("[data-testid=audience-preview] tbody tr")).ToHaveCountAsync(4);
            await page.Locator("[data-testid=import-audience]").ClickAsync();
            await page.Locator(".mud-snackbar", new() { HasText = "4 profiles imported" }).WaitForAsync();
            await BrowserFixture.ExpectKpiAsync(page, "kpi-audience", "4");

            // Link the goal here: its three completions after entry are attributed, of an audience of four.
            await BrowserFixture.PickAsync(page, "link-goal", "Trial Signup Completed");
            await page.Locator("[data-testid=linked-goal]", new() { HasText = "Trial Signup Completed" }).WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=compare-rate]")).ToHaveTextAsync("75.0%");
            await BrowserFixture.ExpectKpiAsync(page, "kpi-attributed", "3");
            await page.Locator("[data-testid=audience-chart] .apexcharts-canvas").WaitForAsync();
            await BrowserFixture.ShotAsync(page, "campaign-details-1366.png");
            await page.SetViewportSizeAsync(390, 844);
            await BrowserFixture.ShotAsync(page, "campaign-details-390.png");
            await page.SetViewportSizeAsync(1366, 768);

            // The goal's page shows the campaign among its linked campaigns with the same attributed figures.
            var from = converters.Min(c => c.CompletedAt).AddHours(-1);
            var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, analytics.TimeZone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}?range=custom&from={firstDay}&to={analytics.Today:yyyy-MM-dd}");
            await BrowserFixture.WaitForCircuitAsync(page);
            var row = page.Locator("[data-testid=goal-campaign-row]", new() { HasText = "Autumn partner webinar" });
            await Assertions.Expect(row.Locator("[data-testid=goal-campaign-rate]")).ToHaveTextAsync("75.0%");

            // The campaigns list carries it too.
            await page.GotoAsync($"{browser.BaseUrl}/campaigns");
            await BrowserFixture.WaitForCircuitAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=campaign-grid] tr", new() { HasText = "Autumn partner webinar" }))
                .ToContainTextAsync("Trial Signup Completed · 75.0%");
            await BrowserFixture.ShotAsync(page, "campaign-list-1366.png");
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "campaignsegmentjourney-1-failure.png", ex);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Marketer_CreatesASegment_SeesItsLiveCount_AndSeesItAsABreakdownOnAGoal()
    {
        var goal = await browser.Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Name == "First Purchase Made"));
        var expected = await browser.Factory.Services.GetRequiredService<SegmentService>()
            .CountMembersAsync([SegmentCondition.Property("plan", Operator.Equals, "pro"), new SegmentCondition(SegmentField.FirstChannel, null, Operator.NotEquals, "paid_search")]);
        var negated = await browser.Factory.Services.GetRequiredService<SegmentService>()
            .CountMembersAsync([SegmentCondition.Property("plan", Operator.Equals, "pro"), new SegmentCondition(SegmentField.FirstChannel, null, Operator.NotEquals, "paid_search", Negate: true)]);
        var page = await browser.NewPageAsync();
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync($"{browser.BaseUrl}/segments");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=new-segment]").ClickAsync();
            await BrowserFixture.FillAndLeaveAsync(page, "segment-name", "Pro, not from search ads");
            await BrowserFixture.FillAndLeaveAsync(page, "segment-key", "plan");
            await BrowserFixture.FillAndLeaveAsync(page, "segment-value", "pro");
            await page.Locator("[data-testid=add-segment-condition]").ClickAsync();
            var second = page.Locator("[data-testid=segment-condition]").Nth(1);
            await BrowserFixture.PickAsync(page, second.Locator("[data-testid=segment-field]"), "First channel");
            await BrowserFixture.PickAsync(page, second.Locator("[data-testid=operator]"), "is not");
            await BrowserFixture.FillAndLeaveAsync(page, BrowserFixture.Input(second, "segment-value"), "paid_search");
            await Assertions.Expect(page.Locator("[data-testid=segment-count]")).ToHaveTextAsync($"{expected:N0} profiles match now");
            // Negating the second test turns "first channel is not paid_search" around, and back.
            var negate = second.Locator("[data-testid=segment-negate] input, input[data-testid=segment-negate]");
            await negate.CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=segment-preview]")).ToContainTextAsync("not (first channel");
            await Assertions.Expect(page.Locator("[data-testid=segment-count]")).ToHaveTextAsync(
                negated == 1 ? "1 profile match now" : $"{negated:N0} profiles match now");
            await negate.UncheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=segment-count]")).ToHaveTextAsync($"{expected:N0} profiles match now");
            await BrowserFixture.ShotAsync(page, "segment-editor-1366.png");
            await page.Locator("[data-testid=save-segment]").ClickAsync();
            await page.Locator(".mud-snackbar", new() { HasText = "Pro, not from search ads" }).WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=segment-grid] tr", new() { HasText = "Pro, not from search ads" }))
                .ToContainTextAsync(expected.ToString("N0"));

            // On the goal: a segment breakdown row, and the segment as a filter.
            await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}?range=90d");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=breakdowns] .mud-tab", new() { HasText = "Segment" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=breakdown-segment]")).ToContainTextAsync("Pro, not from search ads");
            await BrowserFixture.PickAsync(page, "filter-segment", "Pro, not from search ads");
            await page.WaitForURLAsync("**segment=**");
            await BrowserFixture.ShotAsync(page, "segments-on-goal-1366.png");
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "campaignsegmentjourney-2-failure.png", ex);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
