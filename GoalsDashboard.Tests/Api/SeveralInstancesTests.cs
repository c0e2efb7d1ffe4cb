using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GoalsDashboard.Data;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// Two instances of the built app on one PostgreSQL database (docs/decisions/ADR-005-several-instances.md): batches
/// go to both, one is killed (SIGKILL) mid-batch, and nothing acknowledged is lost or doubled, the survivor finishes
/// the work, and both instances answer the same figures, equal to a recomputation over what was stored.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public class SeveralInstancesTests
{
    private const int KillAfter = 16;

    private static Task<AppProcess> Start(TestDatabase database, string folder) => AppProcess.StartAsync(database, CrashRecoveryTests.Token, settings: new Dictionary<string, string>
    {
        // Short, so that the survivor takes the dead instance's claims over within the test.
        ["Evaluation:ClaimSeconds"] = "3",
        // A home of its own, as on another machine: no key ring in a shared home folder to fall back on.
        ["HOME"] = Directory.CreateDirectory(Path.Combine(folder, Guid.NewGuid().ToString("N"))).FullName,
    });

    [Fact]
    public async Task TwoInstances_OneKilledMidBatch_LoseNothing_AndAnswerTheSameFigures()
    {
        var folder = Path.Combine(Path.GetTempPath(), "goalsdashboard-tests", "instances-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var database = TestDatabase.Create(folder, migrated: false);

        // Started together on a database with no tables: one migrates and makes the admin and the token, the other waits.
        var started = await Task.WhenAll(Start(database, folder), Start(database, folder));
        var (a, b) = (started[0], started[1]);
        await using var survivor = b;
        var acked = new List<string[]>();
        var unacked = new List<string[]>();
        await using (a)
        {
            using var httpA = CrashRecoveryTests.Client(a.BaseUrl);
            using var httpB = CrashRecoveryTests.Client(b.BaseUrl);
            foreach (var goal in CrashRecoveryTests.Goals)
            {
                using var created = await httpA.PostJsonAsync("/api/v1/goals", goal);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // A sign-in cookie from one instance opens a page on the other (the keys are in the database).
            var cookie = await SignInAsync(a.BaseUrl);
            using (var other = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(b.BaseUrl) })
            using (var request = new HttpRequestMessage(HttpMethod.Get, "/goals"))
            {
                request.Headers.Add("Cookie", cookie);
                using var page = await other.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            // One sender per instance; instance A is killed while both are mid-flight.
            var batchNumber = 0;
            var stopB = new CancellationTokenSource();
            async Task SendAsync(HttpClient http, CancellationToken stop)
            {
                while (!stop.IsCancellationRequested)
                {
                    var (ids, body) = CrashRecoveryTests.Batch(Interlocked.Increment(ref batchNumber));
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
            var toA = Task.Run(() => SendAsync(httpA, CancellationToken.None));
            var toB = Task.Run(() => SendAsync(httpB, stopB.Token));
            while (Volatile.Read(ref batchNumber) < KillAfter)
            {
                await Task.Delay(5);
            }
            a.Kill();
            await toA;
            // The survivor keeps taking batches after the other died.
            var afterKill = Volatile.Read(ref batchNumber);
            while (Volatile.Read(ref batchNumber) < afterKill + 4)
            {
                await Task.Delay(5);
            }
            await stopB.CancelAsync();
            await toB;
        }
        Assert.True(acked.Count >= KillAfter - 2, $"only {acked.Count} batches were acknowledged");

        await using var check = new GoalsAppFactory(database: database);
        // Every acknowledged event is stored exactly once; a batch that was not acknowledged is stored whole or not at all.
        var storedIds = await check.QueryAsync(db => db.Events.Where(e => e.EventId != null).Select(e => e.EventId!).ToListAsync());
        Assert.Equal(storedIds.Count, storedIds.Distinct().Count());
        var stored = storedIds.ToHashSet();
        Assert.All(acked.SelectMany(ids => ids), id => Assert.Contains(id, stored));
        foreach (var batch in unacked)
        {
            var present = batch.Count(stored.Contains);
            Assert.True(present == 0 || present == batch.Length, $"a batch is stored partly: {present} of {batch.Length}");
        }

        // The survivor (with the checking instance) finishes every pending evaluation, the dead instance's claims included.
        await HttpJson.EventuallyAsync(() => check.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0, "all evaluated", timeoutMs: 60_000);
        await CrashRecoveryTests.AssertCompletionsEqualRecomputationAsync(check);

        // The restarted instance and the survivor answer the same figures, equal to what is stored.
        await using var restarted = await Start(database, folder);
        using var httpRestarted = CrashRecoveryTests.Client(restarted.BaseUrl);
        using var httpSurvivor = CrashRecoveryTests.Client(survivor.BaseUrl);
        var goals = await check.QueryAsync(db => db.Goals.AsNoTracking().Select(g => new { g.Id, g.Name }).ToListAsync());
        var period = $"from={DateTimeOffset.UtcNow.AddDays(-30):yyyy-MM-dd}&to={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-dd}";
        foreach (var goal in goals)
        {
            var completions = await check.QueryAsync(db => db.Completions.CountAsync(c => c.GoalId == goal.Id));
            var fromSurvivor = await StatsAsync(httpSurvivor, goal.Id, period, completions);
            var fromRestarted = await StatsAsync(httpRestarted, goal.Id, period, completions);
            Assert.Equal(fromSurvivor.ToJsonString(), fromRestarted.ToJsonString());
        }

        // A goal saved on one instance is backfilled once, by one of them, and its results show on both.
        using (var created = await httpSurvivor.PostJsonAsync("/api/v1/goals",
            """{"name":"Signed up","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"signup"}]}]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.JsonAsync())["id"]!.GetValue<Guid>();
            await HttpJson.EventuallyAsync(() => check.QueryAsync(db => db.Goals.Where(g => g.Id == id).Select(g => g.EvaluatedVersion == g.Version).SingleAsync()),
                done => done, "the new goal backfilled", timeoutMs: 30_000);
            var completions = await check.QueryAsync(db => db.Completions.CountAsync(c => c.GoalId == id));
            Assert.True(completions > 0);
            var line = "Evaluated goal Signed up over";
            Assert.Equal(1, survivor.Printed(line) + restarted.Printed(line));
            Assert.Equal((await StatsAsync(httpSurvivor, id, period, completions)).ToJsonString(), (await StatsAsync(httpRestarted, id, period, completions)).ToJsonString());
        }
    }

    /// <summary>The goal's stats once they show <paramref name="completions"/> (an instance catches up within a second or two).</summary>
    private static async Task<JsonNode> StatsAsync(HttpClient http, Guid goal, string period, int completions)
    {
        JsonNode stats = null!;
        await HttpJson.EventuallyAsync(async () =>
        {
            stats = await (await http.GetAsync($"/api/v1/goals/{goal}/stats?{period}")).JsonAsync();
            return (int)stats["completions"]!;
        }, n => n == completions, $"the instance's completions of {goal}", timeoutMs: 10_000);
        return stats;
    }

    /// <summary>Signs in through the form; the cookie header that holds the session.</summary>
    private static async Task<string> SignInAsync(string baseUrl)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseUrl) };
        using var form = await client.GetAsync("/Account/Login");
        var html = await form.Content.ReadAsStringAsync();
        var cookies = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = GoalsAppFactory.AdminEmail,
                ["Input.Password"] = GoalsAppFactory.AdminPassword,
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = GoalsAppFactory.HiddenValue(html, "__RequestVerificationToken"),
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        using var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];
    }
}
