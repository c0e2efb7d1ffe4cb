using System.Net;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>
/// A small workspace in Europe/Berlin whose every figure for March 2026 is worked out by hand in
/// <see cref="GoalStatsTests"/>. Berlin is UTC+1 until the clocks go forward on Sunday 29 March
/// (a 23-hour day), UTC+2 after; several events sit within an hour of local midnight on purpose.
/// </summary>
public sealed class HandWorkedAnalyticsFixture : IAsyncLifetime
{
    public GoalsAppFactory Factory { get; } = new(settings: new Dictionary<string, string> { ["Workspace:TimeZone"] = "Europe/Berlin" }) { Clock = new FixedClock() };

    public Guid Signup { get; private set; }
    public Guid Purchase { get; private set; }
    public int SegmentId { get; private set; }

    public AnalyticsService Analytics => Factory.Services.GetRequiredService<AnalyticsService>();

    public async Task InitializeAsync()
    {
        using var client = Factory.ApiClient();
        Signup = await CreateGoalAsync(client, """{"name":"HW Signup","type":"custom_event","default_value":10,"target_rate":20,"groups":[{"conditions":[{"kind":"event","event_name":"hw_signup"}]}]}""");
        Purchase = await CreateGoalAsync(client, """{"name":"HW Purchase","type":"revenue","currency":"EUR","groups":[{"conditions":[{"kind":"event","event_name":"hw_purchase"}]}]}""");

        await client.PostOkAsync("/api/v1/events", """
        [
          {"profile_id":"p1","name":"pageview","path":"/","timestamp":"2026-03-02T09:00:00Z","site":"a.com","channel":"email","campaign":"hw-spring"},
          {"profile_id":"p1","name":"hw_signup","timestamp":"2026-03-03T10:00:00Z","site":"a.com","channel":"email"},
          {"profile_id":"p2","name":"pageview","path":"/","timestamp":"2026-03-01T00:30:00Z","site":"b.com","channel":"organic"},
          {"profile_id":"p2","name":"hw_signup","timestamp":"2026-03-01T23:30:00Z","site":"b.com","channel":"organic"},
          {"profile_id":"p3","name":"pageview","path":"/","timestamp":"2026-02-28T23:30:00Z","site":"b.com"},
          {"profile_id":"p4","name":"hw_signup","timestamp":"2026-03-31T21:30:00Z","site":"a.com","channel":"paid"},
          {"profile_id":"p4","name":"pageview","path":"/","timestamp":"2026-03-31T22:30:00Z","site":"a.com","channel":"paid"},
          {"profile_id":"p5","name":"hw_signup","timestamp":"2026-03-10T12:00:00Z","site":"a.com","channel":"email"},
          {"profile_id":"p5","name":"hw_signup","timestamp":"2026-03-12T12:00:00Z","site":"a.com","channel":"email"},
          {"profile_id":"p5","name":"hw_purchase","timestamp":"2026-03-12T13:00:00Z","site":"a.com","channel":"email","revenue":{"amount":40,"currency":"EUR"}},
          {"profile_id":"p5","name":"hw_purchase","timestamp":"2026-03-20T10:00:00Z","site":"a.com","channel":"email","revenue":{"amount":60,"currency":"EUR"}},
          {"profile_id":"p5","name":"hw_purchase","timestamp":"2026-03-21T10:00:00Z","site":"a.com","channel":"email","revenue":{"amount":30,"currency":"USD"}},
          {"profile_id":"p6","name":"pageview","path":"/","timestamp":"2026-02-10T12:00:00Z","site":"a.com","channel":"email"}
        ]
        """);
        foreach (var (profile, plan) in new[] { ("p1", "pro"), ("p2", "free"), ("p5", "pro") })
        {
            await client.PostOkAsync($"/api/v1/profiles/{profile}/properties", $$"""{"properties":{"plan":"{{plan}}"},"timestamp":"2026-03-05T00:00:00Z"}""");
        }

        // The campaign is defined after its events: creating it builds the audience from them (p1 enters
        // at its first hw-spring event). p5 joins by import, after its completion.
        await client.PostOkAsync("/api/v1/campaigns", """{"name":"HW Spring","key":"hw-spring","channel":"email"}""");
        await client.PostOkAsync("/api/v1/campaigns/hw-spring/audience", """{"entries":[{"profile_id":"p5","entered_at":"2026-03-11T00:00:00Z"}]}""");
        using (var created = await client.PostJsonAsync("/api/v1/segments", """{"name":"HW plan pro","conditions":[{"kind":"property","key":"plan","operator":"equals","value":"pro"}]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            SegmentId = (int)(await created.JsonAsync())["id"]!;
        }
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0);
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.Completions.CountAsync()), n => n == 5);
    }

    private static async Task<Guid> CreateGoalAsync(HttpClient client, string json)
    {
        using var response = await client.PostJsonAsync("/api/v1/goals", json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((string)(await response.JsonAsync())["id"]!);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
