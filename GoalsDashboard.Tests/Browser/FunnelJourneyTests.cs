using GoalsDashboard.Analytics;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class FunnelJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Marketer_BuildsAFourStepFunnel_ReordersAStep_AndSeesTheChartAndTable()
    {
        var page = await browser.NewPageAsync();
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync($"{browser.BaseUrl}/funnels/new");
            await BrowserFixture.WaitForCircuitAsync(page);
            var steps = page.Locator("[data-testid=funnel-step]");
            // An empty step reads "Choose a goal", never an id.
            await Assertions.Expect(steps.Nth(0)).Not.ToContainTextAsync("00000000");

            // Saved empty: every field says what is wrong; each error goes as soon as its field is right, the others stay.
            await page.Locator("[data-testid=save-funnel]").ClickAsync();
            await Assertions.Expect(page.GetByText("Enter a name, for example Signup to purchase.")).ToBeVisibleAsync();
            await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("Choose the goal of this step.");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("Choose the goal of this step.");
            await BrowserFixture.FillAndLeaveAsync(page, "funnel-name", "Browser journey");
            await Assertions.Expect(page.GetByText("Enter a name, for example Signup to purchase.")).ToHaveCountAsync(0);
            await BrowserFixture.PickAsync(page, steps.Nth(0).Locator("[data-testid=step-goal]"), "Trial Started");
            await Assertions.Expect(steps.Nth(0)).Not.ToContainTextAsync("Choose the goal of this step.");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("Choose the goal of this step.");

            await page.Locator("[data-testid=add-step]").ClickAsync();
            await page.Locator("[data-testid=add-step]").ClickAsync();
            await Assertions.Expect(steps).ToHaveCountAsync(4);
            // Built out of order on purpose: trial, signup, activation, purchase…
            string[] picked = ["Trial Started", "Trial Signup Completed", "Workspace Activated", "First Purchase Made"];
            for (var i = 0; i < picked.Length; i++)
            {
                await BrowserFixture.PickAsync(page, steps.Nth(i).Locator("[data-testid=step-goal]"), picked[i]);
            }
            // …then signup moved up to be the first step.
            await steps.Nth(1).Locator("[data-testid=step-up]").ClickAsync();
            await Assertions.Expect(steps.Nth(0).Locator("[data-testid=step-goal]")).ToContainTextAsync("Trial Signup Completed");
            await Assertions.Expect(steps.Nth(1).Locator("[data-testid=step-goal]")).ToContainTextAsync("Trial Started");
            await page.Locator("[data-testid=save-funnel]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/funnels/\d+$"), new() { Timeout = 30_000 });

            var id = await browser.Factory.QueryAsync(db => db.Funnels.Where(f => f.Name == "Browser journey").Select(f => f.Id).SingleAsync());
            var analytics = browser.Factory.Services.GetRequiredService<AnalyticsService>();
            var today = analytics.Today;
            var expected = (await analytics.FunnelStatsAsync(id, new AnalyticsQuery(today.AddDays(-29), today)))!;
            Assert.Equal(["Trial Signup Completed", "Trial Started", "Workspace Activated", "First Purchase Made"], expected.Steps.Select(s => s.Name));
            Assert.True(expected.Steps[0].Profiles > expected.Steps[^1].Profiles && expected.Steps[^1].Profiles > 0, "the demo journey narrows but does not vanish");

            await page.Locator("[data-testid=funnel-chart] .apexcharts-canvas").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=step-profiles]")).ToHaveTextAsync(expected.Steps.Select(s => s.Profiles.ToString("N0")).ToArray());
            await BrowserFixture.ShotAsync(page, "funnel-1366.png");

            // Who stopped after signing up.
            await page.Locator("a[data-testid=step-dropoff], .mud-link[data-testid=step-dropoff]").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=dropoff-sample] tbody tr")).ToHaveCountAsync(Math.Min(20, expected.Steps[1].DropOff));
            await page.Locator(".mud-dialog button", new() { HasText = "Close" }).ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            // Split by segment: one row per segment.
            await page.Locator("[data-testid=split] button", new() { HasText = "By segment" }).ClickAsync();
            await page.WaitForURLAsync("**split=segment**");
            await Assertions.Expect(page.Locator("[data-testid=split-table] tbody tr")).ToHaveCountAsync(await browser.Factory.QueryAsync(db => db.Segments.CountAsync()));
            await page.SetViewportSizeAsync(390, 844);
            await BrowserFixture.ShotAsync(page, "funnel-390.png");

            // Its history, under the figures: created by the admin, with its four steps; on a phone as it loads there.
            await page.ReloadAsync();
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=funnel-chart] .apexcharts-canvas").WaitForAsync();
            await page.Locator("[data-testid=history-panel] .mud-expand-panel-header").ClickAsync();
            var entry = page.Locator("[data-testid=history-entry]");
            await Assertions.Expect(entry).ToHaveCountAsync(1);
            await Assertions.Expect(entry).ToContainTextAsync($"{GoalsAppFactory.AdminEmail} created this funnel");
            await Assertions.Expect(entry).ToContainTextAsync("Trial Signup Completed");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The funnel page overflows sideways at 390 px.");
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "funneljourney-1-failure.png", ex);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
