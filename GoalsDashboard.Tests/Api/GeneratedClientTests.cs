using System.Diagnostics;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// The OpenAPI document is usable by a real generator: Kiota (the dotnet tool pinned in dotnet-tools.json) generates
/// a C# client from the document the app serves, the client compiles, and it lists, creates and reads goals and their
/// stats against the running app (docs/api.md).
/// </summary>
public sealed class GeneratedClientTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new(realServer: true);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-kiota", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.Kiota.Abstractions" Version="2.1.6" />
            <PackageReference Include="Microsoft.Kiota.Http.HttpClientLibrary" Version="2.1.6" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Form" Version="2.1.6" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Json" Version="2.1.6" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Multipart" Version="2.1.6" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Text" Version="2.1.6" />
          </ItemGroup>
        </Project>
        """;

    // Written as an integrator would, with nothing but the generated types.
    private const string Program = """
        using GoalsClient.Generated;
        using GoalsClient.Generated.Api.V1.Goals;
        using GoalsClient.Generated.Models;
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;

        var (baseUrl, token) = (args[0], args[1]);
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new Token(token))) { BaseUrl = baseUrl };
        var client = new GoalsClient.Generated.GoalsClient(adapter);

        // POST /goals takes one goal or an array of them (oneOf without a discriminator): Kiota sends either form, but
        // cannot tell which one came back, so the new goal is found in the list.
        await client.Api.V1.Goals.PostAsync(new GoalsRequestBuilder.GoalsPostRequestBody
        {
            // Kiota also makes a GoalInput class for the array form of this body, hence the full name.
            GoalsPostRequestBodyGoalInput = new GoalsClient.Generated.Models.GoalInput
            {
                Name = "Generated client goal",
                Type = GoalInput_type.Custom_event,
                TargetRate = 12.5,
                Groups = [new GroupInput { Conditions = [new ConditionInput { Kind = ConditionInput_kind.Event, EventName = "signup" }] }],
            },
        });
        var page = await client.Api.V1.Goals.GetAsync(c => c.QueryParameters.PageSize = "100");
        var goal = page!.Results!.Single(g => g.Name == "Generated client goal");
        Console.WriteLine($"created {goal.Id} {goal.Name} {goal.Type} {goal.Status} {goal.TargetRate}");
        Console.WriteLine($"listed {page.Total} {page.Results!.Count}");

        var read = await client.Api.V1.Goals[goal.Id!.Value].GetAsync();
        Console.WriteLine($"read {read!.Name} {read.Groups![0].Conditions![0].EventName}");

        var stats = await client.Api.V1.Goals[goal.Id!.Value].Stats.GetAsync();
        Console.WriteLine($"stats {stats!.GoalId} {stats.Completions} {stats.ActiveProfiles} {stats.Trend!.Count} {stats.Breakdowns!.Channel!.Count}");

        sealed class Token(string secret) : IAccessTokenProvider
        {
            public AllowedHostsValidator AllowedHostsValidator { get; } = new();

            public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? context = null, CancellationToken ct = default) =>
                Task.FromResult(secret);
        }
        """;

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task AClientGeneratedByKiota_Compiles_AndListsCreatesAndReadsGoalsAndStats()
    {
        var baseUrl = _factory.StartRealServer();
        Directory.CreateDirectory(_folder);
        var document = Path.Combine(_folder, "openapi.json");
        await File.WriteAllTextAsync(document, (await _factory.ContractAsync()).Document.ToJsonString());

        var root = AppProcess.RepositoryRoot();
        await RunAsync(root, "dotnet", "kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", Path.Combine(_folder, "Generated"),
            "--class-name", "GoalsClient", "--namespace-name", "GoalsClient.Generated", "--exclude-backward-compatible", "--clean-output");
        await File.WriteAllTextAsync(Path.Combine(_folder, "Client.csproj"), Project);
        await File.WriteAllTextAsync(Path.Combine(_folder, "Program.cs"), Program);
        await RunAsync(_folder, "dotnet", "build", "-nologo", "-v", "quiet", "-c", "Release");
        var output = await RunAsync(_folder, "dotnet", "run", "--no-build", "-c", "Release", "--", baseUrl, GoalsAppFactory.ApiToken);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToDictionary(l => l.Split(' ')[0]);
        var id = lines["created"].Split(' ')[1];
        Assert.Equal($"created {id} Generated client goal Custom_event Active 12.5", lines["created"]);
        Assert.Matches(@"^listed (\d+) \1$", lines["listed"]);
        Assert.Equal("read Generated client goal signup", lines["read"]);
        Assert.StartsWith($"stats {id} 0 ", lines["stats"]);
        Assert.NotNull(await _factory.Services.GetRequiredService<GoalsDashboard.Services.GoalService>().GetAsync(Guid.Parse(id)));
    }

    private static async Task<string> RunAsync(string folder, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{text}\n{await errors}");
        return text;
    }
}
