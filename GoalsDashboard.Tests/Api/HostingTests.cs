using System.Diagnostics;
using System.Net;
using GoalsDashboard.Data;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

public class HostingTests(SeededAppFixture fixture) : IClassFixture<SeededAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    [Fact]
    public async Task AnonymousRequestToGoals_IsSentToSignIn()
    {
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/goals");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
        Assert.Contains("ReturnUrl=%2Fgoals", response.Headers.Location!.Query);
    }

    [Fact]
    public async Task SignedInViewer_GetsTheGoalsPage_WithTheSeededGoals()
    {
        await Factory.CreateUserAsync("viewer@test.local", "Viewer!2026", AppRoles.Viewer);
        using var client = await Factory.SignedInClientAsync("viewer@test.local", "Viewer!2026");
        using var response = await client.GetAsync("/goals");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Trial Signup Completed", html);
        Assert.Contains("First Purchase Made", html);
    }

    [Fact]
    public async Task WrongPassword_ShowsAClearError()
    {
        Assert.Equal("That email and password don't match an account, or the account is locked for a few minutes after too many failed attempts.",
            await Factory.SignInErrorAsync(GoalsAppFactory.AdminEmail, "wrong-password"));
    }

    [Fact]
    public async Task Health_AnswersWithoutSignIn()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Startup_SeedsTheDemoWorkspace_AndTheBootstrapAdmin()
    {
        var dbFactory = Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        Assert.Equal(5000, await db.Profiles.CountAsync());
        Assert.InRange(await db.Events.CountAsync(), 120_000, 180_000);
        Assert.InRange(await db.Goals.CountAsync(), 6, 8);
        Assert.Equal(5, await db.Campaigns.CountAsync());
        Assert.True(await db.Users.AnyAsync(u => u.Email == GoalsAppFactory.AdminEmail));
        // With a bootstrap admin configured, no demo admin is made.
        Assert.False(await db.Users.AnyAsync(u => u.Email == DatabaseInitializer.DemoAdminEmail));
    }
}

public class StartupTests
{
    [Fact]
    public async Task TheReadmesRunCommand_RunsAsProduction_AndServesThePackagesStaticFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var database = TestDatabase.Create(folder);
        await using var app = await AppProcess.StartAsync(database, "readme-token", asTheReadmeDoes: true);
        Assert.Contains("Hosting environment: Production", app.Output);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var login = await http.GetStringAsync("/Account/Login");
        foreach (var asset in new[] { "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "_framework/blazor.web.js", "lib/apexcharts/apexcharts.min.js", "app.css" })
        {
            var href = System.Text.RegularExpressions.Regex.Match(login, $"\"({System.Text.RegularExpressions.Regex.Escape(asset.Replace(".min", "").Split('.')[0])}[^\"]*)\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(href), $"the page does not reference {asset}");
            using var response = await http.GetAsync("/" + href);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{href}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AnError_ShowsTheErrorPage_WithoutInternals()
    {
        await using var factory = new GoalsAppFactory(seedDemo: false);
        var goal = await factory.ApiClient().PostJsonAsync("/api/v1/goals",
            """{"name":"Errors","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"x"}]}]}""");
        var id = (string)(await goal.JsonAsync())["id"]!;
        await using var failing = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IAnalyticsStore>(new FailingAnalyticsStore())));
        using var client = failing.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/Account/Login");
        using var signIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = GoalsAppFactory.AdminEmail, ["Input.Password"] = GoalsAppFactory.AdminPassword, ["_handler"] = "login",
            ["__RequestVerificationToken"] = GoalsAppFactory.HiddenValue(form, "__RequestVerificationToken"),
        }));
        using var response = await client.GetAsync($"/goals/{id}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain(FailingAnalyticsStore.Secret, html);
        Assert.DoesNotContain("GoalsDashboard.", html);
        Assert.DoesNotContain(".AspNetCore.Identity.Application", html);
    }

    private sealed class FailingAnalyticsStore : AnalyticsStoreStub
    {
        public const string Secret = "internal detail that must not be shown";

        public override Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default) =>
            throw new InvalidOperationException(Secret);

        public override Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default) => throw new InvalidOperationException(Secret);

        public override Task<List<CompletionFact>> CompletionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
            CancellationToken ct = default) => throw new InvalidOperationException(Secret);

        public override Task<List<ConversionFact>> ConversionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
            CancellationToken ct = default) => throw new InvalidOperationException(Secret);
    }

    [Fact]
    public async Task StartingTwice_DoesNotSeedTwice()
    {
        await using var first = new GoalsAppFactory(seedDemo: true);
        _ = first.Server;
        var seeder = first.Services.GetRequiredService<DemoSeeder>();
        Assert.False(await seeder.SeedIfEmptyAsync());

        await using var db = await first.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(5000, await db.Profiles.CountAsync());
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task UnwritableDatabasePath_StopsStartup_WithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await RunAppAsync("--ConnectionStrings:Default=Data Source=/proc/goalsdashboard/nope.db");
        Assert.Equal(1, exitCode);
        Assert.Single(output.Split('\n'), l => l.Contains("ConnectionStrings:Default"));
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task MalformedConnectionString_StopsStartup_NamingTheSetting()
    {
        var (exitCode, output) = await RunAppAsync("--ConnectionStrings:Default=Nonsense Key=1");
        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings:Default", output);
    }

    [Fact]
    public async Task PostgresWithoutAConnectionString_StopsStartup_NamingTheSetting()
    {
        var (exitCode, output) = await RunAppAsync("--Database:Provider=Postgres", "--ConnectionStrings:Default=");
        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings:Default", output);
    }

    [Fact]
    public async Task UnreachablePostgres_StopsStartup_WithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await RunAppAsync("--Database:Provider=Postgres", "--ConnectionStrings:Default=Host=127.0.0.1;Port=1;Database=goals;Timeout=5");
        Assert.Equal(1, exitCode);
        Assert.Single(output.Split('\n'), l => l.Contains("ConnectionStrings:Default"));
    }

    [Fact]
    public async Task UnknownProvider_StopsStartup_NamingTheChoices()
    {
        var (exitCode, output) = await RunAppAsync("--Database:Provider=Oracle");
        Assert.Equal(1, exitCode);
        Assert.Contains("\"Postgres\"", output);
    }

    /// <summary>Runs the built app as its own process (a failed start ends the process, which the test host cannot show).</summary>
    private static async Task<(int ExitCode, string Output)> RunAppAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "GoalsDashboard.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.Environment["Demo__Seed"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app kept running although its database setting is broken.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
