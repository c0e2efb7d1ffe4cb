using System.Net;
using System.Net.Http.Headers;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ApiTokenJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_CreatesATokenWithOneScope_UsesItOnce_ThenRevokesIt()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page);
        await page.GotoAsync(browser.BaseUrl + "/settings");
        await BrowserFixture.WaitForCircuitAsync(page);

        await page.ClickAsync("[data-testid=new-token]");
        await BrowserFixture.Input(page, "token-name").FillAsync("Reporting script");
        // Only goals:read: tick it, untick the default events:write.
        await BrowserFixture.Input(page, "scope-goals:read").CheckAsync();
        await BrowserFixture.Input(page, "scope-events:write").UncheckAsync();
        await page.ClickAsync("[data-testid=create-token]");
        var secretField = BrowserFixture.Input(page, "token-secret");
        await secretField.WaitForAsync();
        var secret = await secretField.InputValueAsync();
        Assert.StartsWith("gd_", secret);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "settings-token-created.png") });
        await page.ClickAsync("[data-testid=token-done]");
        var row = page.Locator("tr.mud-table-row", new() { HasText = "Reporting script" });
        await row.WaitForAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());

        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using (var read = await http.GetAsync("/api/v1/goals"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using (var write = await http.PostAsync("/api/v1/events", new StringContent("[]", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        await row.Locator("[data-testid=revoke-token]").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Revoke" }).ClickAsync();
        await row.Locator(".mud-chip", new() { HasText = "Revoked" }).WaitForAsync();
        using var afterRevoke = await http.GetAsync("/api/v1/goals");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task TheApiReference_OpensFromSettings_ForSignedInUsersOnly_AndListsEveryTag()
    {
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(browser.BaseUrl) })
        using (var response = await anonymous.GetAsync("/api-reference"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
        }
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            var (page, problems) = await browser.WatchedPageAsync(width, height);
            await browser.SignInAsync(page);
            await page.GotoAsync(browser.BaseUrl + "/settings");
            await BrowserFixture.WaitForCircuitAsync(page);
            // The link opens a new tab; followed here in the watched page, which records console errors and refused scripts.
            Assert.Equal("_blank", await page.GetAttributeAsync("[data-testid=api-reference]", "target"));
            await page.GotoAsync(new Uri(new Uri(page.Url), await page.GetAttributeAsync("[data-testid=api-reference]", "href")).ToString());
            var popup = page;
            // Scalar renders the document: the tags, an operation, and the schema of the stats.
            foreach (var tag in new[] { "Ingestion", "Goals", "Funnels", "Campaigns", "Segments" })
            {
                await Assertions.Expect(popup.GetByText(tag, new() { Exact = true }).First).ToBeAttachedAsync();
            }
            await Assertions.Expect(popup.GetByText("GoalsDashboard API", new() { Exact = true }).First).ToBeVisibleAsync();
            await popup.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"api-reference-{width}.png") });
            Assert.Empty(problems);
        }
    }

    [Fact]
    public async Task Phone_EverySettingsTab_StaysInView_WhicheverIsOpen()
    {
        var page = await browser.NewPageAsync(390, 844);
        try
        {
            await browser.SignInAsync(page);
            await page.GotoAsync(browser.BaseUrl + "/settings");
            await BrowserFixture.WaitForCircuitAsync(page);
            var tabs = page.Locator("[data-testid=settings-tabs] .mud-tab");
            await Assertions.Expect(tabs).ToHaveCountAsync(4);
            foreach (var name in new[] { "Evaluation", "Sites and time zone", "API tokens" })
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = name }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = name })).ToHaveAttributeAsync("aria-selected", "true");
                for (var i = 0; i < 4; i++)
                {
                    var box = await tabs.Nth(i).BoundingBoxAsync();
                    Assert.True(box is { } b && b.X >= 0 && b.X + b.Width <= 390 + 0.5, $"Tab {i} is out of view at 390 px with \"{name}\" open: {box?.X}+{box?.Width}.");
                }
            }
            await BrowserFixture.ShotAsync(page, "settings-tabs-390.png");
        }
        catch (Exception ex)
        {
            throw await BrowserFixture.FailedAsync(page, "settings-phone-failure.png", ex);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
