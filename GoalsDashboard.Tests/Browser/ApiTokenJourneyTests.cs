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
}
