using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace GoalsDashboard.Benchmarks;

/// <summary>The built app as its own process on a fresh database, driven through its public API.</summary>
internal sealed partial class AppUnderTest : IAsyncDisposable
{
    private const string Token = "benchmark-token";
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<string> _log = new();
    private string? _backfilled;

    private AppUnderTest(Process process, string baseUrl, BenchDatabase database)
    {
        _process = process;
        Database = database;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public BenchDatabase Database { get; }

    public static async Task<AppUnderTest> StartAsync(BenchDatabase database)
    {
        var appDll = FindAppDll();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(appDll)! };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in database.Settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["Demo__Seed"] = "false";
        start.Environment["Bootstrap__ApiToken"] = Token;
        start.Environment["Api__RequestsPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__GoalsDashboard.Services.EvaluationService"] = "Information";
        var process = Process.Start(start)!;
        var app = new AppUnderTest(process, $"http://127.0.0.1:{port}", database);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app._log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app._log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var health = await app._http.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException("The app exited while starting:\n" + string.Join('\n', app._log));
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The app did not answer /health.");
    }

    public async Task CreateGoalsAsync(IEnumerable<string> goals, TimeSpan? evaluated = null)
    {
        foreach (var goal in goals)
        {
            using var response = await _http.PostAsync("/api/v1/goals", Json(goal));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating a goal answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
        await WaitUntilAsync("SELECT COUNT(*) FROM goals WHERE \"EvaluatedVersion\" < \"Version\"", 0, evaluated ?? TimeSpan.FromMinutes(1));
    }

    /// <summary>Posts every event in batches of 1000 from parallel senders; then waits for the live evaluation queue to empty.</summary>
    public Task<(TimeSpan Acknowledged, TimeSpan Evaluated)> IngestAsync(EventData data, int senders) => IngestAsync(data, senders, [this]);

    /// <summary>As above, sender i posting to instance i mod n (several instances on one database).</summary>
    public async Task<(TimeSpan Acknowledged, TimeSpan Evaluated)> IngestAsync(EventData data, int senders, IReadOnlyList<AppUnderTest> instances)
    {
        var batches = new ConcurrentQueue<string>();
        for (var start = 0; start < data.Count; start += 1000)
        {
            batches.Enqueue(EventData.ToJson(data.Events.AsSpan(start, Math.Min(1000, data.Count - start))));
        }
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            var http = instances[sender % instances.Count]._http;
            while (batches.TryDequeue(out var body))
            {
                using var response = await http.PostAsync("/api/v1/events", Json(body));
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"Ingestion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        var acknowledged = stopwatch.Elapsed;
        await WaitUntilAsync("SELECT COUNT(*) FROM pending_evaluations", 0, TimeSpan.FromMinutes(30));
        return (acknowledged, stopwatch.Elapsed);
    }

    /// <summary>One signup for a brand-new profile at a time, timed from POST until its completion row is readable.</summary>
    public async Task<List<double>> MeasureLatencyAsync(int samples)
    {
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var profile = $"latency-{i}-{Guid.NewGuid():N}";
            var body = $$"""{"profile_id":"{{profile}}","name":"signup_completed","site":"www.example.com","channel":"direct"}""";
            var stopwatch = Stopwatch.StartNew();
            using (var response = await _http.PostAsync("/api/v1/events", Json(body)))
            {
                response.EnsureSuccessStatusCode();
            }
            var sql = $"SELECT COUNT(*) FROM completions c JOIN profiles p ON p.\"Id\" = c.\"ProfileId\" WHERE p.\"ExternalId\" = '{profile}'";
            await WaitUntilAsync(sql, 1, TimeSpan.FromSeconds(30), pollMs: 5);
            latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    /// <summary>
    /// One signup for a brand-new profile at a time, posted to this instance and timed until <paramref name="other"/>'s
    /// stats API counts the completion (it follows this instance's writes through the change feed).
    /// </summary>
    public async Task<List<double>> MeasureLatencyOnAsync(AppUnderTest other, int samples)
    {
        string goal;
        await using (var connection = await Database.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"Id\" FROM goals WHERE \"Name\" = 'Signup Completed'";
            goal = (await command.ExecuteScalarAsync())!.ToString()!.ToLowerInvariant();
        }
        var day = DateTimeOffset.UtcNow;
        var stats = $"/api/v1/goals/{goal}/stats?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}";
        async Task<int> CompletionsAsync() =>
            System.Text.Json.JsonDocument.Parse(await other._http.GetStringAsync(stats)).RootElement.GetProperty("completions").GetInt32();
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var before = await CompletionsAsync();
            var body = $$"""{"profile_id":"other-{{i}}-{{Guid.NewGuid():N}}","name":"signup_completed","site":"www.example.com","channel":"direct"}""";
            var stopwatch = Stopwatch.StartNew();
            using (var response = await _http.PostAsync("/api/v1/events", Json(body)))
            {
                response.EnsureSuccessStatusCode();
            }
            while (await CompletionsAsync() <= before)
            {
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("The other instance did not show the completion within 30 s.");
                }
                await Task.Delay(5);
            }
            latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    /// <summary>Every goal's stats for the last 30 days, as this instance's API answers them.</summary>
    public async Task<List<string>> AllStatsAsync()
    {
        var ids = new List<string>();
        await using (var connection = await Database.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"Id\" FROM goals ORDER BY \"Name\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetValue(0).ToString()!.ToLowerInvariant());
            }
        }
        var answers = new List<string>();
        foreach (var id in ids)
        {
            answers.Add(await _http.GetStringAsync($"/api/v1/goals/{id}/stats"));
        }
        return answers;
    }

    /// <summary>Saves a new goal and reads the app's own timing of its evaluation over all history.</summary>
    public async Task<(TimeSpan Evaluation, TimeSpan Wall)> BackfillAsync(string goal)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var response = await _http.PostAsync("/api/v1/goals", Json(goal)))
        {
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating a goal answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            _backfilled = response.Headers.Location!.OriginalString.Split('/')[^1];
        }
        await WaitUntilAsync("SELECT COUNT(*) FROM goals WHERE \"EvaluatedVersion\" < \"Version\"", 0, TimeSpan.FromMinutes(10), pollMs: 5);
        var wall = stopwatch.Elapsed;
        for (var i = 0; i < 100 && !_log.Any(l => l.Contains("Evaluated goal Features Then Signup", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(20);
        }
        var line = _log.Last(l => l.Contains("Evaluated goal Features Then Signup", StringComparison.Ordinal));
        Console.WriteLine(line.Trim());
        var ms = int.Parse(ElapsedPattern().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (TimeSpan.FromMilliseconds(ms), wall);
    }

    /// <summary>On a database that already holds the backfilled goal: deletes it, then measures saving it again.</summary>
    public async Task<(TimeSpan Evaluation, TimeSpan Wall)> BackfillAgainAsync(string goal)
    {
        await using (var connection = await Database.OpenAsync())
        {
            await using var command = connection.CreateCommand();
            // A goal that is a funnel step cannot be deleted: the funnels of an earlier run go first.
            command.CommandText = "SELECT \"Id\" FROM funnels";
            var funnels = new List<long>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    funnels.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            foreach (var funnel in funnels)
            {
                using var response = await _http.DeleteAsync($"/api/v1/funnels/{funnel}");
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    response.EnsureSuccessStatusCode();
                }
            }
            command.CommandText = "SELECT \"Id\" FROM goals WHERE \"Name\" = 'Features Then Signup'";
            if ((_backfilled ?? (await command.ExecuteScalarAsync())?.ToString()) is { } id)
            {
                using var response = await _http.DeleteAsync($"/api/v1/goals/{id.ToLowerInvariant()}?permanent=true");
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Deleting goal {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        return await BackfillAsync(goal);
    }

    /// <summary>The app process's peak resident memory (Linux VmHWM).</summary>
    public long PeakMemoryMegabytes()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        var line = status.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    private async Task WaitUntilAsync(string countSql, long expected, TimeSpan timeout, int pollMs = 50)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = countSql;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == expected)
            {
                return;
            }
            await Task.Delay(pollMs);
        }
        throw new TimeoutException($"Waited {timeout} for: {countSql} = {expected}");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string FindAppDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GoalsDashboard.sln")))
        {
            folder = folder.Parent;
        }
        var dll = Path.Combine(folder?.FullName ?? ".", "GoalsDashboard", "bin", configuration, "net10.0", "GoalsDashboard.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the app first: {dll} is missing.");
    }

    [GeneratedRegex(@"in (\d+) ms")]
    private static partial Regex ElapsedPattern();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
