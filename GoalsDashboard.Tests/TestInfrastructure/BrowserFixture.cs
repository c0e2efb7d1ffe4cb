using Microsoft.Playwright;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>The real app on a loopback port with a fresh seeded database, and Debian's headless Chromium.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>How soon open circuits notice a changed role (short, so a test can watch it happen).</summary>
    public const string RevalidationSeconds = "2";

    public GoalsAppFactory Factory { get; } = new(seedDemo: true, realServer: true,
        settings: new Dictionary<string, string> { ["Security:RevalidationSeconds"] = RevalidationSeconds }) { Logging = Logs };

    /// <summary>The app's warnings and errors, reported with a journey that fails.</summary>
    private static CapturedLogs Logs { get; } = new(Microsoft.Extensions.Logging.LogLevel.Warning);

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = default!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ChromiumPath}; ./test.sh installs it (apt-get install -y chromium).");
        }
        BaseUrl = Factory.StartRealServer();
        await Factory.WaitUntilEvaluatedAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real form and waits for the interactive circuit.</summary>
    public Task SignInAsync(IPage page, string email = GoalsAppFactory.AdminEmail, string password = GoalsAppFactory.AdminPassword) =>
        SignInAsync(page, BaseUrl, email, password);

    /// <summary>Signs in to the app at <paramref name="baseUrl"/> (another app than the fixture's) and waits for the circuit.</summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string email = GoalsAppFactory.AdminEmail, string password = GoalsAppFactory.AdminPassword)
    {
        await page.GotoAsync(baseUrl + "/goals");
        await page.WaitForURLAsync("**/Account/Login**");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync("**/goals");
        await WaitForCircuitAsync(page);
    }

    /// <summary>
    /// The input of a MudBlazor field by its data-testid: some components put the attribute on the
    /// input itself, others on a wrapper around it.
    /// </summary>
    public static ILocator Input(ILocator scope, string testId) =>
        scope.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    public static ILocator Input(IPage page, string testId) => Input(page.Locator(":root"), testId);

    /// <summary>A full-page screenshot into <see cref="ScreenshotFolder"/>.</summary>
    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name), FullPage = true });

    /// <summary>Opens a MudSelect by its data-testid and picks the option with this text.</summary>
    public static Task PickAsync(IPage page, string select, string option) => PickAsync(page, page.Locator($"[data-testid={select}]"), option);

    /// <summary>
    /// Opens a MudSelect and picks the option with this text. Lists still open (an autocomplete's suggestions
    /// can arrive after it was left) are closed first, and the select's own after: an open list lies over
    /// whatever is clicked next.
    /// </summary>
    public static async Task PickAsync(IPage page, ILocator select, string option)
    {
        await CloseListsAsync(page);
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await CloseListsAsync(page);
    }

    /// <summary>Waits until a KPI card shows this value.</summary>
    public static Task ExpectKpiAsync(IPage page, string kpi, string expected) =>
        Assertions.Expect(page.Locator($"[data-testid={kpi}] [data-testid=kpi-value]")).ToHaveTextAsync(expected);

    /// <summary>Types into an autocomplete and leaves it, so the typed text becomes the value even when it was never seen.</summary>
    public static async Task TypeAndLeaveAsync(ILocator input, string text)
    {
        await input.ClickAsync();
        await input.FillAsync(text);
        await input.PressAsync("Escape");
        await input.PressAsync("Tab");
    }

    /// <summary>Fills a field by its data-testid and tabs out of it (no Escape: inside a dialog it would close it).</summary>
    public static Task FillAndLeaveAsync(IPage page, string testId, string text) => FillAndLeaveAsync(page, Input(page, testId), text);

    /// <summary>Fills a field and tabs out of it, then checks it kept the text.</summary>
    public static async Task FillAndLeaveAsync(IPage page, ILocator input, string text)
    {
        await input.FillAsync(text);
        await input.PressAsync("Tab");
        await Assertions.Expect(input).ToHaveValueAsync(text);
    }

    /// <summary>
    /// Clicks a heading (the dialog's, when one is open, so that the dialog stays) until no list is open, as a user
    /// would; outside a dialog a list that stays open is also sent Escape. A busy machine may take seconds to
    /// render the closing, so the checks wait up to 15 s.
    /// </summary>
    public static async Task CloseListsAsync(IPage page)
    {
        var open = page.Locator(".mud-popover-open .mud-list-item");
        for (var i = 0; i < 30 && await open.CountAsync() > 0; i++)
        {
            var dialog = page.Locator(".mud-dialog .mud-dialog-title");
            var inDialog = await dialog.CountAsync() > 0;
            await (inDialog ? dialog.First : page.Locator("h1").First).ClickAsync();
            if (!inDialog && i > 2)
            {
                await page.Keyboard.PressAsync("Escape");
            }
            await Task.Delay(100 * Math.Min(i + 1, 5));
        }
        await Assertions.Expect(open).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    /// <summary>
    /// A journey's failure with what the page showed (its address, text, whether Blazor's error or reconnect UI is
    /// up) and the app's last warnings and errors, and a screenshot: a failure seen once in CI can then be
    /// understood without running it again. Use as <c>catch (Exception ex) { throw await FailedAsync(page, "x.png", ex); }</c>.
    /// </summary>
    public static async Task<Exception> FailedAsync(IPage page, string failureShot, Exception failure) =>
        new Xunit.Sdk.XunitException($"{failure.Message}\n{await DescribeAsync(page, failureShot)}", failure);

    private static async Task<string> DescribeAsync(IPage page, string shot)
    {
        var lines = new List<string> { $"page: {page.Url}" };
        try
        {
            await ShotAsync(page, shot);
            var state = await page.EvaluateAsync<string>("""
                () => {
                  const shown = e => !!e && getComputedStyle(e).display !== 'none';
                  const reconnect = document.querySelector('#components-reconnect-modal');
                  return `blazor error UI shown: ${shown(document.querySelector('#blazor-error-ui'))}; `
                    + `reconnect UI: ${reconnect ? (reconnect.className || 'present') + (reconnect.open ? ' open' : '') : 'none'}; `
                    + `interactive: ${!!document.querySelector('[data-interactive=true]')}\n`
                    + `text: ${document.body.innerText.replace(/\s+/g, ' ').slice(0, 1500)}`;
                }
                """);
            lines.Add(state);
        }
        catch (Exception ex)
        {
            lines.Add($"(the page could not be read: {ex.Message})");
        }
        var logs = Logs.Lines.TakeLast(20).Select(l => $"  {l.Level} {l.Category}: {l.Message}").ToList();
        lines.Add(logs.Count == 0 ? "the app logged no warning or error" : "the app's last warnings and errors:\n" + string.Join("\n", logs));
        return string.Join("\n", lines);
    }

    /// <summary>The layout marks itself once its first interactive render ran, i.e. the circuit is up.</summary>
    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.Locator("[data-interactive=true]").First.WaitForAsync(new() { Timeout = 30_000 });

    /// <summary>
    /// A page that records what must never happen on it: a script dialog, a refused script (a Content-Security-Policy
    /// violation), an uncaught error.
    /// </summary>
    public async Task<(IPage Page, List<string> Problems)> WatchedPageAsync(int width = 1366, int height = 768)
    {
        var page = await NewPageAsync(width, height);
        var problems = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            problems.Add($"dialog: {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        return (page, problems);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
