using System.Net;
using System.Text.RegularExpressions;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// The real app on a fresh database of its own (<see cref="TestDatabase"/>: a SQLite file, or a PostgreSQL database when the run tests that). Settings go in through <c>UseSetting</c> so that
/// they are visible while Program.cs builds the host.
/// </summary>
public class GoalsAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Test!Admin2026";
    public const string ApiToken = "test-bootstrap-token";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-tests", Guid.NewGuid().ToString("N"));

    private readonly Dictionary<string, string> _settings = new();

    /// <param name="database">A database the test made and keeps (to open it again after the app is gone); by default the factory makes its own.</param>
    public GoalsAppFactory(bool seedDemo = false, bool realServer = false, IReadOnlyDictionary<string, string>? settings = null, TestDatabase? database = null)
    {
        SeedDemo = seedDemo;
        (_database, _ownsDatabase) = (database, database is null);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
        if (realServer)
        {
            UseKestrel(0);
        }
    }

    public bool SeedDemo { get; }

    /// <summary>The app's clock, when a test's data depends on today's date (set before the app starts).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>A logger provider added to the app's, for tests that check what is logged.</summary>
    public Microsoft.Extensions.Logging.ILoggerProvider? Logging { get; set; }

    private TestDatabase? _database;
    private readonly bool _ownsDatabase;

    /// <summary>The app's database, made when the app is first built.</summary>
    public TestDatabase Database => _database ??= TestDatabase.Create(Directory.CreateDirectory(_folder).FullName);

    /// <summary>The SQLite file, for the tests of what happens to it (they run on SQLite only).</summary>
    public string DatabasePath => Database.SqlitePath ?? throw new InvalidOperationException("This test is about the SQLite file; it runs on SQLite only.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // as the README runs it
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Demo:Seed", SeedDemo ? "true" : "false");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Bootstrap:ApiToken", ApiToken);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (Logging is { } provider)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(provider));
        }
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }

    private readonly Dictionary<string, Task<OpenApiContract>> _contracts = [];

    /// <summary>One of the app's OpenAPI documents (v1, or plugins for the Plugins API), read once, to check answers against.</summary>
    public Task<OpenApiContract> ContractAsync(string document = "v1")
    {
        lock (_contracts)
        {
            return _contracts.TryGetValue(document, out var contract) ? contract : _contracts[document] = LoadContractAsync(document);
        }
    }

    private async Task<OpenApiContract> LoadContractAsync(string document)
    {
        using var client = CreateClient();
        return new OpenApiContract(await client.GetStringAsync($"/api/{document}/openapi.json"));
    }

    /// <summary>
    /// A client whose every answer of /api/v1 and of the Plugins API is checked against the app's OpenAPI documents
    /// (<see cref="OpenApiContract"/>): one that does not match them fails the request.
    /// </summary>
    public HttpClient CheckedClient() => CreateDefaultClient(ClientOptions.BaseAddress, new ContractCheckingHandler(path =>
        path.StartsWith("/api/plugins/v1/", StringComparison.Ordinal) ? ContractAsync("plugins")
        : path.StartsWith("/api/v1/", StringComparison.Ordinal) && path != "/api/v1/openapi.json" ? ContractAsync()
        : null));

    /// <summary>A checked client (<see cref="CheckedClient"/>) sending the bootstrap token (every scope, admin), or the given one.</summary>
    public HttpClient ApiClient(string? token = ApiToken)
    {
        var client = CheckedClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Creates a token with the given scopes and returns its secret.</summary>
    public async Task<string> CreateTokenAsync(bool isAdmin, params string[] scopes)
    {
        var (_, secret) = await Services.GetRequiredService<GoalsDashboard.Services.ApiTokenService>().CreateAsync("test", scopes, "test", isAdmin);
        return secret;
    }

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>Starts Kestrel on a free loopback port and returns its address (for browser tests).</summary>
    public string StartRealServer()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }

    /// <summary>
    /// Waits until the app has evaluated everything stored (no profile pending, no goal behind): seeding
    /// stores the demo's goals before its events, so their backfills and live evaluation run in the background.
    /// </summary>
    public async Task WaitUntilEvaluatedAsync()
    {
        var behind = await HttpJson.PollAsync(() => QueryAsync(async db =>
            await db.PendingEvaluations.CountAsync() + await db.Goals.CountAsync(g => g.Status == GoalStatus.Active && g.EvaluatedVersion < g.Version)),
            n => n == 0, timeoutMs: 60_000);
        if (behind > 0)
        {
            throw new TimeoutException($"{behind} profiles or goals were still waiting for evaluation after a minute.");
        }
    }

    public async Task CreateUserAsync(string email, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        await DatabaseInitializer.EnsureUserAsync(scope.ServiceProvider, email, password, role, email);
    }

    /// <summary>A client that signed in through the real sign-in form and keeps its cookies.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password, Uri? baseAddress = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost") });
        using var response = await PostSignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    /// <summary>A sign-in that is expected to fail: the error the sign-in page shows, or null when there is none.</summary>
    public async Task<string?> SignInErrorAsync(string email, string password)
    {
        using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await PostSignInAsync(client, email, password);
        var html = await response.Content.ReadAsStringAsync();
        var match = Regex.Match(html, "data-testid=\"login-error\"[^>]*>(?:<[^>]+>)*([^<]+)<");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/Account/Login");
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = HiddenValue(form, "__RequestVerificationToken"),
        };
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(fields));
    }

    public static string HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]+)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No {name} in the form.");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null && _ownsDatabase)
        {
            await _database.DisposeAsync();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS; the temp folder is cleaned eventually.
        }
    }
}

/// <summary>An empty app (no demo data) shared by the tests of a class.</summary>
public sealed class EmptyAppFixture : IAsyncLifetime
{
    public GoalsAppFactory Factory { get; } = new(seedDemo: false) { Clock = new FixedClock() };

    public Task InitializeAsync()
    {
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>One seeded app shared by the tests of a class (seeding takes a few seconds).</summary>
public sealed class SeededAppFixture : IAsyncLifetime
{
    public GoalsAppFactory Factory { get; } = new(seedDemo: true);

    public async Task InitializeAsync()
    {
        _ = Factory.Server; // builds the host: migrations and demo seeding run now
        await Factory.WaitUntilEvaluatedAsync();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
