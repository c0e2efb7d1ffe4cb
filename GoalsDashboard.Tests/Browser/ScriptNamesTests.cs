using System.Net;
using System.Text.Json;
using GoalsDashboard.Data;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GoalsDashboard.Tests.Browser;

/// <summary>
/// Names from users and integrators are data, never markup: goals, a campaign, a segment, a funnel, sites and
/// channels named with script-bearing HTML are shown on every page with a chart (legends, tooltips, axes) as
/// text, no element they name appears, no script runs, and the Content-Security-Policy refuses nothing the app
/// itself needs. Its own app, so that these names stay off the demo app's pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ScriptNamesTests(BrowserFixture browser, RealServerApp app) : IClassFixture<RealServerApp>
{
    private const string GoalA = "A <img src=x onerror=window.__xss=1>";
    private const string GoalB = "<svg onload=window.__xss=2>B</svg>";
    private const string CampaignName = "<img src=x onerror=window.__xss=3> campaign";
    private const string CampaignKey = "<i>spring</i>";
    private const string SegmentName = "<img src=x onerror=window.__xss=5> segment";
    private const string FunnelName = "<img src=x onerror=window.__xss=6> funnel";
    private const string Site = "<img src=x onerror=window.__xss=7>.example";
    private const string Channel = "<b onmouseover=window.__xss=8>mail</b>";

    /// <summary>Elements the names would make if they were markup, and whether any of their scripts ran.</summary>
    private const string Injected = """
        () => ({
          ran: window.__xss ?? null,
          elements: document.querySelectorAll('img[src="x"], svg[onload], [onmouseover], [onerror], .apexcharts-canvas i, .apexcharts-tooltip i, .apexcharts-legend i').length
        })
        """;

    private static string J(string text) => JsonSerializer.Serialize(text);

    private async Task<(Guid A, Guid B, int Campaign, int Funnel)> SeedAsync()
    {
        using var client = app.Factory.ApiClient();
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":{{J(CampaignName)}},"key":{{J(CampaignKey)}},"channel":{{J(Channel)}}}""");
        await client.PostOkAsync("/api/v1/segments",
            $$"""{"name":{{J(SegmentName)}},"conditions":[{"kind":"property","key":"plan","operator":"equals","value":"pro"}]}""");
        async Task<Guid> GoalAsync(string name, string eventName)
        {
            using var response = await client.PostJsonAsync("/api/v1/goals",
                $$"""{"name":{{J(name)}},"type":"custom_event","campaigns":[{{J(CampaignKey)}}],"groups":[{"conditions":[{"kind":"event","event_name":"{{eventName}}"}]}]}""");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return Guid.Parse((string)(await response.JsonAsync())["id"]!);
        }
        var a = await GoalAsync(GoalA, "signup");
        var b = await GoalAsync(GoalB, "purchase");
        using var funnel = await client.PostJsonAsync("/api/v1/funnels", $$"""{"name":{{J(FunnelName)}},"steps":[{"goal_id":"{{a}}"},{"goal_id":"{{b}}"}]}""");
        var funnelId = (int)(await funnel.JsonAsync())["id"]!;

        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 24).SelectMany(i =>
        {
            var at = now.AddHours(-5 * i - 1);
            var profile = $"visitor-{i}";
            var common = $"\"site\":{J(Site)},\"channel\":{J(Channel)},\"campaign\":{J(CampaignKey)}";
            var list = new List<string>
            {
                $$"""{"profile_id":"{{profile}}","name":"pageview","path":"/<img src=x onerror=window.__xss=9>","timestamp":"{{at:O}}",{{common}}}""",
                $$"""{"profile_id":"{{profile}}","name":"signup","timestamp":"{{at.AddMinutes(1):O}}",{{common}}}""",
            };
            if (i % 2 == 0)
            {
                list.Add($$"""{"profile_id":"{{profile}}","name":"purchase","timestamp":"{{at.AddMinutes(2):O}}",{{common}}}""");
            }
            return list;
        });
        await client.PostOkAsync("/api/v1/events", "[" + string.Join(',', events) + "]");
        for (var i = 0; i < 24; i += 3)
        {
            await client.PostOkAsync($"/api/v1/profiles/visitor-{i}/properties", """{"properties":{"plan":"pro"}}""");
        }
        await app.Factory.WaitUntilEvaluatedAsync();
        var campaignId = await app.Factory.QueryAsync(db => db.Campaigns.Where(c => c.Key == CampaignKey).Select(c => c.Id).SingleAsync());
        return (a, b, campaignId, funnelId);
    }

    /// <summary>Hovers every chart (tooltips are written when shown) and every legend entry, then checks nothing was injected.</summary>
    private static async Task ExpectOnlyTextAsync(IPage page, List<string> problems, string where)
    {
        await page.Locator(".apexcharts-canvas").First.WaitForAsync(new() { Timeout = 15_000 });
        var charts = page.Locator(".apexcharts-canvas");
        for (var i = 0; i < await charts.CountAsync(); i++)
        {
            var chart = charts.Nth(i);
            if (!await chart.IsVisibleAsync())
            {
                continue;
            }
            var box = await chart.BoundingBoxAsync();
            if (box is null)
            {
                continue;
            }
            foreach (var x in new[] { 0.3, 0.5, 0.7 })
            {
                await page.Mouse.MoveAsync((float)(box.X + box.Width * x), (float)(box.Y + box.Height * 0.6));
                await Task.Delay(60);
            }
        }
        var injected = await page.EvaluateAsync<JsonElement>(Injected);
        Assert.True(injected.GetProperty("ran").ValueKind == JsonValueKind.Null, $"{where}: a name's script ran ({injected.GetProperty("ran")})");
        Assert.True(injected.GetProperty("elements").GetInt32() == 0, $"{where}: {injected.GetProperty("elements")} elements made from names");
        Assert.True(problems.Count == 0, $"{where}: {string.Join(" | ", problems)}");
    }

    [Fact]
    public async Task ScriptBearingNames_AreShownAsText_OnEveryPageWithAChart()
    {
        var (a, b, campaign, funnel) = await SeedAsync();
        var (page, problems) = await browser.WatchedPageAsync();
        try
        {
            await BrowserFixture.SignInAsync(page, app.BaseUrl);

            await page.Locator("tr.mud-table-row", new() { HasText = "A <img" }).WaitForAsync();
            await ExpectOnlyTextAsync(page, problems, "goals list");

            await page.GotoAsync($"{app.BaseUrl}/goals/{a}");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=trend] .apexcharts-canvas").WaitForAsync();
            await ExpectOnlyTextAsync(page, problems, "goal details");
            foreach (var tab in new[] { "channel", "site", "campaign", "segment" })
            {
                await page.Locator($".mud-tab:has-text('{char.ToUpperInvariant(tab[0])}{tab[1..]}')").First.ClickAsync();
                await ExpectOnlyTextAsync(page, problems, $"goal details, {tab} breakdown");
            }
            // Shown as the text it is.
            await page.Locator(".mud-tab:has-text('Channel')").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=breakdowns]")).ToContainTextAsync(Channel);

            await page.GotoAsync($"{app.BaseUrl}/goals/compare?ids={a},{b}");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator(".apexcharts-legend-text").Nth(1).WaitForAsync();
            await ExpectOnlyTextAsync(page, problems, "compare");
            var legend = await page.Locator(".apexcharts-legend").First.InnerTextAsync();
            Assert.Contains(GoalA, legend);
            Assert.Contains(GoalB, legend);

            await page.GotoAsync($"{app.BaseUrl}/funnels/{funnel}");
            await BrowserFixture.WaitForCircuitAsync(page);
            await ExpectOnlyTextAsync(page, problems, "funnel");

            await page.GotoAsync($"{app.BaseUrl}/campaigns/{campaign}");
            await BrowserFixture.WaitForCircuitAsync(page);
            await ExpectOnlyTextAsync(page, problems, "campaign");
            await BrowserFixture.ShotAsync(page, "script-names-campaign-1366.png");

            foreach (var list in new[] { "campaigns", "segments", "funnels", "settings" })
            {
                await page.GotoAsync($"{app.BaseUrl}/{list}");
                await BrowserFixture.WaitForCircuitAsync(page);
                await Task.Delay(300);
                var injected = await page.EvaluateAsync<JsonElement>(Injected);
                Assert.True(injected.GetProperty("elements").GetInt32() == 0 && injected.GetProperty("ran").ValueKind == JsonValueKind.Null, list);
                Assert.True(problems.Count == 0, $"{list}: {string.Join(" | ", problems)}");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task AnOpenSettingsPage_Closes_WhenItsAdminIsDemoted()
    {
        await browser.Factory.CreateUserAsync("demoted@test.local", "Demoted!2026", AppRoles.Admin);
        var page = await browser.NewPageAsync();
        try
        {
            await browser.SignInAsync(page, "demoted@test.local", "Demoted!2026");
            await page.GotoAsync($"{browser.BaseUrl}/settings");
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=new-token]").WaitForAsync();

            var id = await browser.Factory.QueryAsync(db => db.Users.Where(u => u.Email == "demoted@test.local").Select(u => u.Id).SingleAsync());
            await browser.Factory.Services.GetRequiredService<UserAdminService>().SetRoleAsync(id, AppRoles.Viewer);

            // Within a few revalidation intervals the circuit drops the old sign-in: no token can be made from it.
            await page.WaitForURLAsync("**/Account/Login**", new() { Timeout = 10_000 });
            Assert.Equal(0, await page.Locator("[data-testid=new-token]").CountAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
