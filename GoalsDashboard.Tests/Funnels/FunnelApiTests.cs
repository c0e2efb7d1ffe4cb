using System.Net;
using GoalsDashboard.Analytics;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Funnels;

/// <summary>Funnels through the API: definitions, validation, and stats equal to the service on hand-worked events.</summary>
public class FunnelApiTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private static async Task<Guid> GoalAsync(HttpClient client, string eventName)
    {
        using var response = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique(eventName)}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{eventName}}"}]}]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((string)(await response.JsonAsync())["id"]!);
    }

    [Fact]
    public async Task Crud_AndValidation()
    {
        using var client = Factory.ApiClient();
        var (a, b, c) = (await GoalAsync(client, HttpJson.Unique("fa")), await GoalAsync(client, HttpJson.Unique("fb")), await GoalAsync(client, HttpJson.Unique("fc")));
        using var created = await client.PostJsonAsync("/api/v1/funnels",
            $$$"""{"name":" Journey ","steps":[{"goal_id":"{{{a}}}"},{"goal_id":"{{{b}}}","window":{"amount":2,"unit":"hours"}}],"window":{"amount":7,"unit":"days"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = (int)body["id"]!;
        Assert.Equal("Journey", (string?)body["name"]);
        Assert.Equal("hours", (string?)body["steps"]![1]!["window"]!["unit"]);
        Assert.Equal(7, (int)body["window"]!["amount"]!);
        Assert.Equal("active", (string?)body["steps"]![0]!["status"]);

        using var replaced = await client.PutAsync($"/api/v1/funnels/{id}", HttpJson.Json($$"""{"name":"Journey","steps":[{"goal_id":"{{c}}"},{"goal_id":"{{a}}"},{"goal_id":"{{b}}"}]}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal([c.ToString(), a.ToString(), b.ToString()], (await replaced.JsonAsync())["steps"]!.AsArray().Select(s => (string?)s!["goal_id"]));
        Assert.Contains(id, (await (await client.GetAsync("/api/v1/funnels")).JsonAsync()).AsArray().Select(f => (int)f!["id"]!));

        async Task ExpectAsync(string json, params string[] fields)
        {
            using var response = await client.PostJsonAsync("/api/v1/funnels", json);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(fields.Order(StringComparer.Ordinal), (await response.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        }
        await ExpectAsync($$"""{"name":"","steps":[{"goal_id":"{{a}}"}]}""", "name", "steps");
        await ExpectAsync($$"""{"name":"x","steps":[{"goal_id":"{{a}}"},{"goal_id":"{{a}}"}]}""", "steps[1].goal_id");
        await ExpectAsync($$"""{"name":"x","steps":[{"goal_id":"{{a}}"},{"goal_id":"{{Guid.NewGuid()}}"}]}""", "steps[1].goal_id");
        await ExpectAsync($$"""{"name":"x","steps":[{"goal_id":"{{a}}"},{"goal_id":"nope"}]}""", "steps[1].goal_id");
        await ExpectAsync($$$"""{"name":"x","steps":[{"goal_id":"{{{a}}}","window":{"amount":1}},{"goal_id":"{{{b}}}","window":{"amount":0,"unit":"weeks"}}]}""",
            "steps[0].window", "steps[1].window.amount", "steps[1].window.unit");
        var thirteen = string.Join(',', Enumerable.Range(0, 13).Select(_ => $$"""{"goal_id":"{{a}}"}"""));
        await ExpectAsync($$"""{"name":"x","steps":[{{thirteen}}]}""", "steps", "steps[1].goal_id", "steps[2].goal_id", "steps[3].goal_id", "steps[4].goal_id", "steps[5].goal_id",
            "steps[6].goal_id", "steps[7].goal_id", "steps[8].goal_id", "steps[9].goal_id", "steps[10].goal_id", "steps[11].goal_id", "steps[12].goal_id");

        // A goal in a funnel cannot be deleted; the funnel can.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.DeleteAsync($"/api/v1/goals/{a}?permanent=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/funnels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/funnels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/funnels/{id}/stats")).StatusCode);
    }

    /// <summary>
    /// Three steps over hand-worked events in May: p0 goes through all three; p1 does step 2 before
    /// step 1 (out of order) and stops; p2 completes step 2 more than a day after step 1 (the step
    /// window) and stops; p3 starts on 31 May and finishes in June (later steps may fall after the
    /// period); p4's step 1 is in April (outside the period).
    /// </summary>
    [Fact]
    public async Task Stats_FollowSectionFour_AndEqualTheService()
    {
        using var client = Factory.ApiClient();
        var (e1, e2, e3) = (HttpJson.Unique("s1"), HttpJson.Unique("s2"), HttpJson.Unique("s3"));
        var goals = new[] { await GoalAsync(client, e1), await GoalAsync(client, e2), await GoalAsync(client, e3) };
        var p = Enumerable.Range(0, 5).Select(i => HttpJson.Unique($"fp{i}")).ToArray();
        using (var events = await client.PostJsonAsync("/api/v1/events", $$"""
            [{"profile_id":"{{p[0]}}","name":"{{e1}}","timestamp":"2026-05-02T10:00:00Z","channel":"email"},
             {"profile_id":"{{p[0]}}","name":"{{e2}}","timestamp":"2026-05-02T12:00:00Z"},
             {"profile_id":"{{p[0]}}","name":"{{e3}}","timestamp":"2026-05-03T12:00:00Z"},
             {"profile_id":"{{p[1]}}","name":"{{e2}}","timestamp":"2026-05-04T09:00:00Z"},
             {"profile_id":"{{p[1]}}","name":"{{e1}}","timestamp":"2026-05-04T10:00:00Z","channel":"paid"},
             {"profile_id":"{{p[2]}}","name":"{{e1}}","timestamp":"2026-05-05T10:00:00Z","channel":"paid"},
             {"profile_id":"{{p[2]}}","name":"{{e2}}","timestamp":"2026-05-06T10:00:01Z"},
             {"profile_id":"{{p[3]}}","name":"{{e1}}","timestamp":"2026-05-31T23:00:00Z","channel":"email"},
             {"profile_id":"{{p[3]}}","name":"{{e2}}","timestamp":"2026-06-01T01:00:00Z"},
             {"profile_id":"{{p[3]}}","name":"{{e3}}","timestamp":"2026-06-02T01:00:00Z"},
             {"profile_id":"{{p[4]}}","name":"{{e1}}","timestamp":"2026-04-30T10:00:00Z"},
             {"profile_id":"{{p[4]}}","name":"{{e2}}","timestamp":"2026-05-01T10:00:00Z"}]
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, events.StatusCode);
        }
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.Conversions.CountAsync(c => goals.Contains(c.GoalId))), n => n == 12);
        using var created = await client.PostJsonAsync("/api/v1/funnels",
            $$$"""{"name":"{{{HttpJson.Unique("Hand")}}}","steps":[{"goal_id":"{{{goals[0]}}}"},{"goal_id":"{{{goals[1]}}}","window":{"amount":1,"unit":"days"}},{"goal_id":"{{{goals[2]}}}"}]}""");
        var id = (int)(await created.JsonAsync())["id"]!;

        var json = await (await client.GetAsync($"/api/v1/funnels/{id}/stats?from=2026-05-01&to=2026-05-31")).JsonAsync();
        var steps = json["steps"]!.AsArray();
        Assert.Equal([4, 2, 2], steps.Select(s => (int)s!["profiles"]!));
        Assert.Equal([0, 2, 0], steps.Select(s => (int)s!["drop_off"]!));
        Assert.Equal([100.0, 50.0, 100.0], steps.Select(s => (double)s!["percent_of_previous"]!));
        Assert.Equal([100.0, 50.0, 50.0], steps.Select(s => (double)s!["percent_of_first"]!));
        // From step 1 to 2: p0 2 h, p3 2 h; from 2 to 3: 24 h each.
        Assert.Null((double?)steps[0]!["median_seconds_from_previous"]);
        Assert.Equal(7200, (double)steps[1]!["median_seconds_from_previous"]!);
        Assert.Equal(86400, (double)steps[2]!["median_seconds_from_previous"]!);
        Assert.Equal(31, json["trend"]!.AsArray().Count);
        // By the day of step 1: p0 on 2 May and p3 on 31 May finish; p1 (4 May) and p2 (5 May) do not.
        var trend = json["trend"]!.AsArray().Where(t => (int)t!["started"]! > 0).Select(t => ((string?)t!["date"], (int)t["started"]!, (int)t["finished"]!));
        Assert.Equal([("2026-05-02", 1, 1), ("2026-05-04", 1, 0), ("2026-05-05", 1, 0), ("2026-05-31", 1, 1)], trend);

        // A channel filter selects the profiles of step 1 by their step-1 conversion.
        var email = await (await client.GetAsync($"/api/v1/funnels/{id}/stats?from=2026-05-01&to=2026-05-31&channel=email")).JsonAsync();
        Assert.Equal([2, 2, 2], email["steps"]!.AsArray().Select(s => (int)s!["profiles"]!));

        // The service says the same.
        var service = (await Factory.Services.GetRequiredService<AnalyticsService>().FunnelStatsAsync(id, new AnalyticsQuery(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31))))!;
        Assert.Equal(steps.Select(s => (int)s!["profiles"]!), service.Steps.Select(s => s.Profiles));
        Assert.Equal(steps.Select(s => (double)s!["percent_of_previous"]!), service.Steps.Select(s => s.PercentOfPrevious));

        // Who dropped off before step 2: p1 and p2, the latest first.
        var sample = await Factory.Services.GetRequiredService<AnalyticsService>().DropOffSampleAsync(id, new AnalyticsQuery(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31)), 2);
        Assert.Equal([p[2], p[1]], sample.Select(s => s.ProfileId));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync($"/api/v1/funnels/{id}/stats?split=country")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync($"/api/v1/funnels/{id}/stats?from=2026-05-31&to=2026-05-01")).StatusCode);

        // Splits: a segment holding p0 and p2 (1 of them finishes); a campaign p2 entered before its step 1, and p1 entered after.
        var key = HttpJson.Unique("tier");
        foreach (var profile in new[] { p[0], p[2] })
        {
            using var set = await client.PostJsonAsync($"/api/v1/profiles/{profile}/properties", $$$"""{"properties":{"{{{key}}}":"gold"}}""");
            Assert.Equal(HttpStatusCode.Accepted, set.StatusCode);
        }
        using var segment = await client.PostJsonAsync("/api/v1/segments", $$"""{"name":"{{HttpJson.Unique("Gold")}}","conditions":[{"kind":"property","key":"{{key}}","operator":"equals","value":"gold"}]}""");
        var segmentId = ((int)(await segment.JsonAsync())["id"]!).ToString();
        var campaign = HttpJson.Unique("fc");
        using (await client.PostJsonAsync("/api/v1/campaigns", $$"""{"name":"Funnel split","key":"{{campaign}}","channel":"email"}""")) { }
        using (await client.PostJsonAsync($"/api/v1/campaigns/{campaign}/audience",
            $$"""{"entries":[{"profile_id":"{{p[2]}}","entered_at":"2026-05-01T00:00:00Z"},{"profile_id":"{{p[1]}}","entered_at":"2026-05-20T00:00:00Z"}]}""")) { }

        async Task<int[]> SplitAsync(string by, string value)
        {
            var json = await HttpJson.PollAsync(async () => await (await client.GetAsync($"/api/v1/funnels/{id}/stats?from=2026-05-01&to=2026-05-31&split={by}")).JsonAsync(),
                j => j["splits"]!.AsArray().Any(r => (string?)r!["value"] == value));
            return json["splits"]!.AsArray().Single(r => (string?)r!["value"] == value)!["steps"]!.AsArray().Select(st => (int)st!["profiles"]!).ToArray();
        }
        Assert.Equal(new[] { 2, 1, 1 }, await SplitAsync("segment", segmentId));
        Assert.Equal(new[] { 1, 0, 0 }, await SplitAsync("campaign", campaign));
        // As a filter, the campaign keeps p2 only (p1's step 1 came before it entered).
        var filtered = await (await client.GetAsync($"/api/v1/funnels/{id}/stats?from=2026-05-01&to=2026-05-31&campaign={campaign}")).JsonAsync();
        Assert.Equal([1, 0, 0], filtered["steps"]!.AsArray().Select(st => (int)st!["profiles"]!));
    }
}
