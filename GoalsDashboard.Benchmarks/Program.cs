using System.Diagnostics;
using System.Globalization;
using GoalsDashboard.Benchmarks;

// Usage: dotnet run -c Release --project GoalsDashboard.Benchmarks -- [--profiles 100000] [--events 1000000] [--senders 2] [--database file] [--direct]
//        [--provider sqlite|postgres] [--postgres "Host=…;Username=…"] [--instances 2]
// With --instances N (PostgreSQL), N app instances run on the one database: senders are spread over them, latency is
// also read on another instance than the one that took the event, and their stats are compared.
// With --provider postgres the app runs on PostgreSQL: two databases (the app's, the raw baseline's) are made on the
// server that --postgres (or GOALS_BENCH_POSTGRES) names, and dropped at the end; there --database names the app's
// database, which is kept (and reused as a loaded one, as below); --direct is SQLite's.
// With --database, the loaded database is kept in that file; when the file already exists, loading is
// skipped and only the backfill (of the backfill goal, deleted and saved again), the analytics and the
// funnels are measured on it (to iterate on them).
// With --direct, events are written straight into the app's database instead of through the API, and
// the goals are then evaluated by backfill: for large runs (10M events) where ingestion is not measured.
var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"GoalsDashboard benchmark ({options.Provider}, {options.Instances} instance(s)): {options.Profiles:N0} profiles, {options.Events:N0} events, {options.Senders} senders, {Environment.ProcessorCount} cores");

var folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
var databasePath = options.Database is null ? Path.Combine(folder, "app.db") : Path.GetFullPath(options.Database);
var results = new List<(string Measure, string Value, string Target)>();
await using BenchDatabase database = options.Provider == "postgres"
    ? await PostgresBench.CreateAsync(options.Postgres ?? throw new ArgumentException("--provider postgres needs --postgres \"Host=…;Username=…\" (or GOALS_BENCH_POSTGRES)."), options.Database)
    : new SqliteBench(databasePath, folder);
var analyticsOnly = database is PostgresBench { Loaded: true } || options.Provider == "sqlite" && options.Database is not null && File.Exists(databasePath);
try
{
    if (analyticsOnly)
    {
        await using var loaded = await AppUnderTest.StartAsync(database);
        // The first runs while the app is still warming up (its daily activity is built at start): the median of the next three.
        await loaded.BackfillAgainAsync(Workload.BackfillGoal);
        var again = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            again.Add((await loaded.BackfillAgainAsync(Workload.BackfillGoal)).Evaluation.TotalMilliseconds);
        }
        results.Add(("Backfill of one new goal over all events (saved again, median of 3)", $"{Median(again):N0} ms", "<= 2000 ms"));
        await MeasureQueriesAsync(loaded, results);
        return;
    }
    if (options.Direct)
    {
        await MeasureDirectAsync(options, (SqliteBench)database, results);
        return;
    }
    var generate = Stopwatch.StartNew();
    var data = EventData.Generate(options.Profiles, options.Events, seed: 42);
    Console.WriteLine($"generated in {generate.ElapsedMilliseconds} ms");

    await using var app = await AppUnderTest.StartAsync(database);
    await app.CreateGoalsAsync(Workload.Goals);

    // 1. The machine's limit: the same rows into an events table with the three indexes an event store needs.
    var raw = await database.RawBaselineAsync(data);
    var rawRate = data.Count / raw.TotalSeconds;
    results.Add((database.RawLabel, $"{rawRate:N0} events/s", "the machine's limit"));

    var instances = new List<AppUnderTest> { app };
    for (var i = 1; i < options.Instances; i++)
    {
        instances.Add(await AppUnderTest.StartAsync(database));
    }
    var on = options.Instances > 1 ? $" ({options.Instances} instances, senders spread over them)" : "";

    // 2. The real endpoint, batches of 1000, live evaluation of 10 goals running meanwhile.
    var ingest = await app.IngestAsync(data, options.Senders, instances);
    var ingestRate = data.Count / ingest.Acknowledged.TotalSeconds;
    var liveRate = data.Count / ingest.Evaluated.TotalSeconds;
    results.Add(($"HTTP ingestion, all batches acknowledged (202){on}", $"{ingestRate:N0} events/s ({ingestRate / rawRate:P0} of raw)", ">= 50% of raw"));
    results.Add(($"HTTP ingestion until live evaluation caught up{on}", $"{liveRate:N0} events/s ({liveRate / rawRate:P0} of raw)", ">= 50% of raw"));

    // 3. Event-to-completion latency, one event at a time on the loaded database.
    var latencies = await app.MeasureLatencyAsync(samples: 20);
    results.Add(("Event-to-completion latency (median / max of 20)", $"{Median(latencies):N0} ms / {latencies.Max():N0} ms", "<= 1000 ms"));
    if (instances.Count > 1)
    {
        var across = await app.MeasureLatencyOnAsync(instances[1], samples: 20);
        results.Add(("Event-to-completion latency, posted to one instance, read from another's stats API (median / max of 20)",
            $"{Median(across):N0} ms / {across.Max():N0} ms", "<= 1000 ms"));
        var stats = await Task.WhenAll(instances.Select(i => i.AllStatsAsync()));
        var equal = stats.All(s => s.SequenceEqual(stats[0]));
        results.Add(($"Stats of every goal (last 30 days) on {instances.Count} instances", equal ? $"equal ({stats[0].Count} goals)" : "DIFFERENT", "equal"));
        foreach (var other in instances.Skip(1))
        {
            results.Add(("Peak memory of the other instance (VmHWM)", $"{other.PeakMemoryMegabytes():N0} MB", "<= 400 MB"));
            await other.DisposeAsync();
        }
    }

    // 4. Backfill of one new goal over every stored event.
    var backfill = await app.BackfillAsync(Workload.BackfillGoal);
    results.Add(("Backfill of one new goal over all events", $"{backfill.Evaluation.TotalMilliseconds:N0} ms (save to done: {backfill.Wall.TotalMilliseconds:N0} ms)", "<= 2000 ms"));

    await MeasureQueriesAsync(app, results);
}
finally
{
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    PrintResults(options, results);
}

static async Task MeasureDirectAsync(BenchmarkOptions options, SqliteBench database, List<(string Measure, string Value, string Target)> results)
{
    await (await AppUnderTest.StartAsync(database)).DisposeAsync(); // the schema, from the app's migrations
    var load = await DirectLoad.RunAsync(database.Path, EventData.Generate(options.Profiles, options.Events, seed: 42));
    results.Add(("Direct load into the app's database (not through the API)", $"{options.Events / load.TotalSeconds:N0} events/s", "(set-up)"));

    await using var app = await AppUnderTest.StartAsync(database);
    var evaluate = Stopwatch.StartNew();
    await app.CreateGoalsAsync(Workload.Goals, TimeSpan.FromHours(1));
    results.Add(("Backfill of the 10 goals over all events, one after another", $"{evaluate.Elapsed.TotalSeconds:N0} s", "(set-up)"));
    var backfill = await app.BackfillAsync(Workload.BackfillGoal);
    results.Add(("Backfill of one new goal over all events", $"{backfill.Evaluation.TotalMilliseconds:N0} ms", "<= 2000 ms at 1M"));
    await MeasureQueriesAsync(app, results);
}

// 5. Analytics and 6. funnels over the loaded database, then the app's peak memory.
static async Task MeasureQueriesAsync(AppUnderTest app, List<(string Measure, string Value, string Target)> results)
{
    var analytics = await app.MeasureAnalyticsAsync();
    results.Add(("Goal details figures, first view of a goal since start (loads its results into memory)", $"{analytics.DetailsFirst:N0} ms", "(once per goal)"));
    results.Add(("Goal details figures, 30 days (period + previous period), cold / warm", $"{analytics.DetailsCold:N0} ms / {analytics.DetailsWarm:N0} ms", "<= 50 ms"));
    results.Add(("Six-goal comparison, 30 days, cold / warm", $"{analytics.CompareCold:N0} ms / {analytics.CompareWarm:N0} ms", "<= 150 ms"));

    // Funnels over the stored conversions: four steps, and as many steps as there are goals (up to 12).
    var funnels = await app.MeasureFunnelsAsync();
    results.Add(("Funnel, 4 steps, 30 days (median of 5)", $"{funnels.Four:N0} ms", "<= 300 ms"));
    results.Add(($"Funnel, {funnels.LongSteps} steps, 30 days (median of 5)", $"{funnels.Long:N0} ms", "<= 1000 ms (12 steps)"));

    results.Add(("App peak memory (VmHWM)", $"{app.PeakMemoryMegabytes():N0} MB", "<= 400 MB"));
}

static void PrintResults(BenchmarkOptions options, List<(string Measure, string Value, string Target)> results)
{
    Console.WriteLine();
    Console.WriteLine($"| Measure ({options.Events:N0} events, {options.Profiles:N0} profiles) | Result | Target |");
    Console.WriteLine("|---|---|---|");
    foreach (var (measure, value, target) in results)
    {
        Console.WriteLine($"| {measure} | {value} | {target} |");
    }
}

static double Median(IReadOnlyList<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

internal sealed record BenchmarkOptions(int Profiles, int Events, int Senders, string? Database, bool Direct, string Provider, string? Postgres, int Instances)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }
        string? Text(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }
        var provider = (Text("--provider") ?? "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--provider is sqlite or postgres, not {provider}.");
        }
        if (provider == "postgres" && args.Contains("--direct"))
        {
            throw new ArgumentException("--direct works on SQLite only.");
        }
        if (provider == "postgres" && Text("--database") is { } name && !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z_][a-z0-9_]*$"))
        {
            throw new ArgumentException("--database on PostgreSQL is a database name (lower-case letters, digits, _).");
        }
        var instances = Get("--instances", 1);
        if (instances < 1 || instances > 1 && provider != "postgres")
        {
            throw new ArgumentException("--instances above 1 needs --provider postgres (several instances share one PostgreSQL database).");
        }
        return new BenchmarkOptions(Get("--profiles", 100_000), Get("--events", 1_000_000), Get("--senders", 2),
            Text("--database"), args.Contains("--direct"), provider, Text("--postgres") ?? Environment.GetEnvironmentVariable("GOALS_BENCH_POSTGRES"), instances);
    }
}
