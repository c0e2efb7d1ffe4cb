using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class SignInJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_SignsIn_SeesTheSeededGoals_AndSearchesThem()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);

        await page.Locator("tr.mud-table-row", new() { HasText = "Trial Signup Completed" }).WaitForAsync();
        Assert.True(await page.Locator("tbody tr.mud-table-row").CountAsync() >= 6);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "goals-1366.png"), FullPage = true });

        await page.FillAsync("input[placeholder='Search goals']", "purchase");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('tbody tr.mud-table-row').length === 1");
        Assert.Contains("First Purchase Made", await page.Locator("tbody tr.mud-table-row").InnerTextAsync());
    }

    [Fact]
    public async Task PhoneWidth_ShowsTheGoals_WithoutSideways_Scrolling()
    {
        var page = await browser.NewPageAsync(390, 844);
        await browser.SignInAsync(page);
        await page.Locator("text=Trial Signup Completed").First.WaitForAsync();
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the goals page scrolls sideways at 390 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "goals-390.png"), FullPage = true });
    }

    [Fact]
    public async Task WrongPassword_StaysOnSignIn_WithAnError()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/Account/Login");
        await page.FillAsync("#email", GoalsAppFactory.AdminEmail);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("[data-testid=sign-in]");
        await page.Locator("[data-testid=login-error]").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "signin-error-1366.png") });
        Assert.Contains("/Account/Login", page.Url);
    }

    [Fact]
    public async Task SignOut_FromTheUserMenu_ReturnsToSignIn()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        await page.ClickAsync("[data-testid=user-menu-button]");
        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/Account/Login**");
        await page.GotoAsync(browser.BaseUrl + "/goals");
        await page.WaitForURLAsync("**/Account/Login**");
    }

    [Fact]
    public async Task DarkMode_IsRemembered()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.ClickAsync("[data-testid=theme-toggle]");
        // The choice is written to local storage by the circuit after the click; reload only once it is there.
        await page.WaitForFunctionAsync("() => localStorage.getItem('gd-theme') === 'dark'");
        await page.ReloadAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.WaitForFunctionAsync("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '') === 'rgba(15,19,27,1)'");
    }

    // The contrast (WCAG) between a chart's axis labels or legend and its card's background.
    private const string ChartContrast = """
        (selector, cardSelector = '[data-testid=trend]') => {
            const parse = c => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
            const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
            const card = document.querySelector(cardSelector);
            const label = card && card.querySelector(selector);
            if (!label) return 0;
            const style = getComputedStyle(label);
            const fg = luminance(parse(label instanceof SVGElement ? style.fill : style.color));
            const bg = luminance(parse(getComputedStyle(card).backgroundColor));
            return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }
        """;

    [Fact]
    public async Task BeforeThePageIsInteractive_ControlsShowTheyCannotBeUsedYet_AndWorkOnceItIs()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        // Hold Blazor's script back: the page stays as prerendered, its connection not yet open.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/_framework/blazor.web*.js*", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(browser.BaseUrl + "/goals/new", new() { WaitUntil = WaitUntilState.Commit });
        var card = page.Locator("[data-testid=type-pageview]");
        await card.WaitForAsync();
        Assert.Equal("none", await card.EvaluateAsync<string>("e => getComputedStyle(e).pointerEvents"));
        Assert.Equal("0.6", await card.EvaluateAsync<string>("e => getComputedStyle(e).opacity"));
        Assert.Equal("progress", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('main') || document.querySelector('.mud-main-content')).cursor"));

        release.SetResult();
        await BrowserFixture.WaitForCircuitAsync(page);
        Assert.Equal("auto", await card.EvaluateAsync<string>("e => getComputedStyle(e).pointerEvents"));
        await card.ClickAsync();
        await Assertions.Expect(card).ToHaveAttributeAsync("aria-checked", "true");
    }

    [Fact]
    public async Task DarkMode_ChartLabelsAndLegends_ReadOnTheBackground_AlsoWhenSwitchedOnAPage()
    {
        var goal = (await browser.Factory.Services.GetRequiredService<GoalsDashboard.Services.GoalService>().AllAsync())
            .First(g => g.Status == GoalsDashboard.Domain.GoalStatus.Active);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        await page.GotoAsync($"{browser.BaseUrl}/goals/{goal.Id}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=trend] .apexcharts-xaxis-label").First.WaitForAsync();
        foreach (var selector in new[] { ".apexcharts-xaxis-label", ".apexcharts-yaxis-label", ".apexcharts-legend-text" })
        {
            Assert.True(await page.EvaluateAsync<double>(ChartContrast, selector) >= 4.5, $"{selector} in light mode");
        }
        // Switched on the page: the chart repaints without a reload.
        await page.ClickAsync("[data-testid=theme-toggle]");
        foreach (var selector in new[] { ".apexcharts-xaxis-label", ".apexcharts-yaxis-label", ".apexcharts-yaxis-title-text", ".apexcharts-legend-text" })
        {
            await page.WaitForFunctionAsync($"() => ({ChartContrast})('{selector}') >= 4.5", null, new() { Timeout = 10_000 });
        }
        await BrowserFixture.ShotAsync(page, "goal-details-dark.png");
        await page.ReloadAsync();
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=trend] .apexcharts-xaxis-label").First.WaitForAsync();
        Assert.True(await page.EvaluateAsync<double>(ChartContrast, ".apexcharts-xaxis-label") >= 4.5, "axis labels in dark mode after a reload");

        // A funnel's step counts sit above its bars, on the card: they read in both themes too.
        var funnel = await browser.Factory.QueryAsync(db => db.Funnels.OrderBy(f => f.Id).Select(f => f.Id).FirstAsync());
        await page.GotoAsync($"{browser.BaseUrl}/funnels/{funnel}");
        await BrowserFixture.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=funnel-chart] .apexcharts-datalabel").First.WaitForAsync();
        await page.WaitForFunctionAsync($"() => ({ChartContrast})('.apexcharts-datalabel', '[data-testid=funnel-chart]') >= 4.5", null, new() { Timeout = 10_000 });
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync($"() => ({ChartContrast})('.apexcharts-datalabel', '[data-testid=funnel-chart]') >= 4.5", null, new() { Timeout = 10_000 });
    }
}

/// <summary>
/// The browser journeys run on their own, after the other tests: a journey waits for what the circuit sends back,
/// and with every other test class running beside it on a small CI machine, an answer could take longer than
/// any sensible wait (a click's navigation did not arrive within 30 s, once per few runs).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
