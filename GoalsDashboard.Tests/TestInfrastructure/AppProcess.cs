using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>The built app as a process of its own, so a test can kill it the way a crash or an OOM killer would.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Everything the app printed so far.</summary>
    public string Output => string.Join('\n', _output);

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>
    /// Starts the built app. <paramref name="asTheReadmeDoes"/>: through <c>dotnet run --project GoalsDashboard</c>
    /// (its launch profile, its environment), as the README's run command does, rather than the dll alone.
    /// </summary>
    public static async Task<AppProcess> StartAsync(TestDatabase database, string apiToken, bool asTheReadmeDoes = false,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (asTheReadmeDoes)
        {
            start.WorkingDirectory = RepositoryRoot();
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("--project");
            start.ArgumentList.Add("GoalsDashboard");
            start.ArgumentList.Add("--no-build"); // the test run built it
            start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
            start.Environment.Remove("DOTNET_ENVIRONMENT");
        }
        else
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GoalsDashboard.dll"));
        }
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var (key, value) in database.Settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        start.Environment["Demo__Seed"] = "false";
        start.Environment["Bootstrap__ApiToken"] = apiToken;
        start.Environment["Bootstrap__AdminEmail"] = GoalsAppFactory.AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = GoalsAppFactory.AdminPassword;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        var process = Process.Start(start)!;
        var app = new AppProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting:\n{app.Output}");
            }
            try
            {
                using var health = await http.GetAsync(app.BaseUrl + "/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await app.DisposeAsync();
        throw new TimeoutException("The app did not answer /health within 60 s.");
    }

    /// <summary>How many lines the app printed that contain <paramref name="text"/>.</summary>
    public int Printed(string text) => _output.Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGKILL: no shutdown hooks, no flushing — a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 10_000)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>The folder of GoalsDashboard.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GoalsDashboard.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("GoalsDashboard.sln was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
