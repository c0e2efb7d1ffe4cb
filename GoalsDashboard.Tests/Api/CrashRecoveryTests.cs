using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// Kill the app (SIGKILL) while batches are being ingested; after a restart every acknowledged event
/// is stored exactly once, an unacknowledged batch is stored whole or not at all, and the stored
/// completions equal a full recomputation over what was stored.
/// </summary>
public class CrashRecoveryTests
{
    internal const string Token = "crash-test-token";
    private const int KillAfter = 24;
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-20);

    [Fact]
    public async Task KilledMidIngestion_KeepsEveryAcknowledgedEventOnce_AndCompletionsEqualRecomputation()
    {
        var folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-tests", "crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var database = TestDatabase.Create(folder);
        var acked = new List<string[]>();
        var unacked = new List<string[]>();

        await using (var app = await AppProcess.StartAsync(database, Token))
        {
            using var http = Client(app.BaseUrl);
            foreach (var goal in Goals)
            {
                using var created = await http.PostJsonAsync("/api/v1/goals", goal);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // Two senders in parallel, like a busy tracker; the app is killed while both are mid-flight.
            var batchNumber = 0;
            async Task SendAsync()
            {
                while (true)
                {
                    var number = Interlocked.Increment(ref batchNumber);
                    var (ids, body) = Batch(number);
                    try
                    {
                        using var response = await http.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
                        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        lock (acked)
                        {
                            acked.Add(ids);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        lock (acked)
                        {
                            unacked.Add(ids);
                        }
                        return;
                    }
                }
            }
            var senders = new[] { Task.Run(SendAsync), Task.Run(SendAsync) };
            while (Volatile.Read(ref batchNumber) < KillAfter)
            {
                await Task.Delay(5);
            }
            app.Kill();
            await Task.WhenAll(senders);
        }
        Assert.True(acked.Count >= KillAfter - 2, $"only {acked.Count} batches were acknowledged before the kill");

        // Restart on the same database: what was acknowledged is there once; the rest is whole or absent.
        await using (var app = await AppProcess.StartAsync(database, Token))
        {
            await using var factory = new GoalsAppFactory(database: database);
            var storedIds = await factory.QueryAsync(db => db.Events.Where(e => e.EventId != null).Select(e => e.EventId!).ToListAsync());
            Assert.Equal(storedIds.Count, storedIds.Distinct().Count());
            var stored = storedIds.ToHashSet();
            Assert.All(acked.SelectMany(ids => ids), id => Assert.Contains(id, stored));
            foreach (var batch in unacked)
            {
                var present = batch.Count(stored.Contains);
                Assert.True(present == 0 || present == batch.Length, $"a batch is stored partly: {present} of {batch.Length}");
            }
            Assert.Equal(stored.Count, acked.Sum(b => b.Length) + unacked.Where(b => stored.Contains(b[0])).Sum(b => b.Length));

            // Profiles marked pending before the kill are evaluated after the restart.
            await HttpJson.EventuallyAsync(() => factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0, "all evaluated", timeoutMs: 60_000);
            app.Kill();

            await AssertCompletionsEqualRecomputationAsync(factory);
        }
    }

    internal static async Task AssertCompletionsEqualRecomputationAsync(GoalsAppFactory factory)
    {
        var goals = await factory.QueryAsync(db => db.Goals.AsNoTracking().Where(g => g.Status == GoalStatus.Active).ToListAsync());
        var stored = await factory.QueryAsync(db => db.Completions.AsNoTracking().ToListAsync());
        var store = factory.Services.GetRequiredService<IEventStore>();
        var expected = new List<(Guid, long, DateTimeOffset)>();
        await foreach (var history in store.ReadHistoriesAsync(null, withEventProperties: true))
        {
            foreach (var goal in goals)
            {
                if (GoalEvaluator.Evaluate(goal, history.History).Completion is { } completion)
                {
                    expected.Add((goal.Id, history.History.ProfileId, completion.CompletedAt));
                }
            }
        }
        Assert.True(expected.Count > 20, $"only {expected.Count} completions: the test would prove little");
        Assert.Equal(expected.Order().ToList(), stored.Select(c => (c.GoalId, c.ProfileId, c.CompletedAt)).Order().ToList());
    }

    internal static HttpClient Client(string baseUrl)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    internal static readonly string[] Goals =
    [
        """{"name":"Purchase","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"purchase"}]}]}""",
        """{"name":"Pricing","type":"pageview","groups":[{"conditions":[{"kind":"pageview","path":"/pricing"}]}]}""",
        """{"name":"Signup then purchase within a day","type":"combined","window":{"amount":1,"unit":"days","anchor":"event","anchor_event":"signup"},"groups":[{"conditions":[{"kind":"event","event_name":"purchase"}]}]}""",
    ];

    /// <summary>200 events over 50 profiles; batches overlap profiles, so evaluation must merge late arrivals.</summary>
    internal static (string[] Ids, string Body) Batch(int number)
    {
        var random = new Random(number);
        var ids = new string[200];
        var items = new StringBuilder("[");
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = $"b{number}-e{i}";
            var profile = $"p{random.Next(400)}";
            var at = Start.AddMinutes(random.Next(20 * 24 * 60)).ToString("O");
            var item = random.Next(10) switch
            {
                0 => $$"""{"event_id":"{{ids[i]}}","profile_id":"{{profile}}","name":"signup","timestamp":"{{at}}"}""",
                1 => $$"""{"event_id":"{{ids[i]}}","profile_id":"{{profile}}","name":"purchase","timestamp":"{{at}}"}""",
                _ => $$"""{"event_id":"{{ids[i]}}","profile_id":"{{profile}}","name":"pageview","path":"{{(random.Next(3) == 0 ? "/pricing" : "/blog/x")}}","timestamp":"{{at}}"}""",
            };
            items.Append(i == 0 ? "" : ",").Append(item);
        }
        return (ids, items.Append(']').ToString());
    }
}
