using System.Net;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Segments;

/// <summary>Segments through the API: authoring, validation, members as of now, first channel and first site, and as a breakdown.</summary>
public class SegmentTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private static async Task<int> MembersAsync(HttpClient client, int id) =>
        (int)(await (await client.GetAsync($"/api/v1/segments/{id}")).JsonAsync())["members"]!;

    private async Task<int> CreateAsync(HttpClient client, string name, string conditions)
    {
        using var response = await client.PostJsonAsync("/api/v1/segments", $$"""{"name":"{{name}}","conditions":{{conditions}}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (int)(await response.JsonAsync())["id"]!;
    }

    [Fact]
    public async Task Crud_WithTheShapeAndMembers()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Webinar leads");
        var key = HttpJson.Unique("src");
        using var created = await client.PostJsonAsync("/api/v1/segments",
            $$"""{"name":"{{name}}","conditions":[{"kind":"property","key":" {{key}} ","operator":"equals","value":"webinar"},{"kind":"first_channel","operator":"not_equals","value":"paid"}]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = (int)body["id"]!;
        Assert.EndsWith($"/api/v1/segments/{id}", created.Headers.Location!.ToString());
        Assert.Equal(key, (string?)body["conditions"]![0]!["key"]);
        Assert.Equal("first_channel", (string?)body["conditions"]![1]!["kind"]);
        Assert.Null((string?)body["conditions"]![1]!["key"]);
        Assert.Equal(0, (int)body["members"]!);
        Assert.Contains(id, (await (await client.GetAsync("/api/v1/segments")).JsonAsync()).AsArray().Select(s => (int)s!["id"]!));

        using var replaced = await client.PutAsync($"/api/v1/segments/{id}", HttpJson.Json($$"""{"name":"{{name}} 2","conditions":[{"kind":"property","key":"{{key}}","operator":"exists"}]}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var updated = await replaced.JsonAsync();
        Assert.Equal($"{name} 2", (string?)updated["name"]);
        Assert.Null((string?)updated["conditions"]![0]!["value"]);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"/api/v1/segments/{id}", HttpJson.Json("""{"name":"x","conditions":[]}"""))).StatusCode);
    }

    [Fact]
    public async Task BadSegments_Are422_NamingTheField_AndNothingIsStored()
    {
        using var client = Factory.ApiClient();
        var before = await Factory.QueryAsync(db => db.Segments.CountAsync());
        async Task ExpectAsync(string json, params string[] fields)
        {
            using var response = await client.PostJsonAsync("/api/v1/segments", json);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(fields.Order(StringComparer.Ordinal), (await response.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        }
        await ExpectAsync("""{"name":"","conditions":[]}""", "name", "conditions");
        await ExpectAsync("""{"name":"x","conditions":[{"kind":"event","event_name":"signup"}]}""", "conditions[0].kind", "conditions[0].operator");
        await ExpectAsync("""{"name":"x","conditions":[{"kind":"property","operator":"equals","value":"a"}]}""", "conditions[0].key");
        await ExpectAsync("""{"name":"x","conditions":[{"kind":"property","key":"k","operator":"sort_of"}]}""", "conditions[0].operator");
        await ExpectAsync("""{"name":"x","conditions":[{"kind":"first_site","operator":"greater_than","value":"abc"}]}""", "conditions[0].value");
        await ExpectAsync("""{"name":"x","conditions":[{"kind":"property","key":"k","operator":"equals"}]}""", "conditions[0].value");

        var name = HttpJson.Unique("Taken");
        await CreateAsync(client, name, """[{"kind":"property","key":"k","operator":"exists"}]""");
        await ExpectAsync($$"""{"name":"{{name.ToUpperInvariant()}}","conditions":[{"kind":"property","key":"k","operator":"exists"}]}""", "name");
        Assert.Equal(before + 1, await Factory.QueryAsync(db => db.Segments.CountAsync()));

        using var reader = Factory.ApiClient(await Factory.CreateTokenAsync(false, ApiScopes.GoalsRead));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostJsonAsync("/api/v1/segments", """{"name":"x","conditions":[]}""")).StatusCode);
    }

    [Fact]
    public async Task Members_FollowPropertyChanges_AsOfNow()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("plan");
        var (a, b) = (HttpJson.Unique("ma"), HttpJson.Unique("mb"));
        var id = await CreateAsync(client, HttpJson.Unique("Pro"), $$"""[{"kind":"property","key":"{{key}}","operator":"equals","value":"pro"}]""");
        Assert.Equal(0, await MembersAsync(client, id));

        await client.PostOkAsync($"/api/v1/profiles/{a}/properties", $$$"""{"properties":{"{{{key}}}":"pro"}}""");
        await client.PostOkAsync($"/api/v1/profiles/{b}/properties", $$$"""{"properties":{"{{{key}}}":"free"}}""");
        Assert.Equal(1, await HttpJson.PollAsync(() => MembersAsync(client, id), n => n == 1));

        // b upgrades, a downgrades: membership is as of now, not as of any earlier moment.
        await client.PostOkAsync($"/api/v1/profiles/{b}/properties", $$$"""{"properties":{"{{{key}}}":"pro"}}""");
        await client.PostOkAsync($"/api/v1/profiles/{a}/properties", $$$"""{"properties":{"{{{key}}}":"free"}}""");
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.ProfileProperties.CountAsync(p => p.Key == key && p.Value == "pro")), n => n == 1);
        var segment = await Factory.QueryAsync(db => db.Segments.SingleAsync(s => s.Id == id));
        Assert.Equal(1, await Factory.Services.GetRequiredService<SegmentService>().CountMembersAsync(segment.Conditions));
        Assert.Equal(1, await HttpJson.PollAsync(() => MembersAsync(client, id), n => n == 1));
        var holder = await Factory.QueryAsync(db => db.ProfileProperties.Where(p => p.Key == key && p.Value == "pro")
            .Join(db.Profiles, p => p.ProfileId, x => x.Id, (p, x) => x.ExternalId).SingleAsync());
        Assert.Equal(b, holder);

        // Negating and not_exists count the profiles that never set the key as well.
        var notPro = await CreateAsync(client, HttpJson.Unique("Not pro"), $$"""[{"kind":"property","key":"{{key}}","operator":"equals","value":"pro","negate":true}]""");
        var profiles = await Factory.QueryAsync(db => db.Profiles.CountAsync());
        Assert.Equal(profiles - 1, await MembersAsync(client, notPro));
    }

    [Fact]
    public async Task FirstChannelAndFirstSite_AreWhereTheProfileCameFrom_AndSegmentsBreakDownAGoal()
    {
        using var client = Factory.ApiClient();
        var site = HttpJson.Unique("site") + ".example";
        var done = HttpJson.Unique("seg_done");
        var p = Enumerable.Range(0, 3).Select(i => HttpJson.Unique($"fc{i}")).ToArray();
        using var goalResponse = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique("Seg goal")}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{done}}"}]}]}""");
        var goalId = Guid.Parse((string)(await goalResponse.JsonAsync())["id"]!);
        await client.PostOkAsync("/api/v1/events", $$"""
            [{"profile_id":"{{p[0]}}","name":"pageview","path":"/","timestamp":"2026-06-01T10:00:00Z","channel":"webinar-mail","site":"{{site}}"},
             {"profile_id":"{{p[0]}}","name":"{{done}}","timestamp":"2026-06-02T10:00:00Z","channel":"paid","site":"{{site}}"},
             {"profile_id":"{{p[1]}}","name":"pageview","path":"/","timestamp":"2026-06-01T10:00:00Z","channel":"paid","site":"{{site}}"},
             {"profile_id":"{{p[1]}}","name":"pageview","path":"/","timestamp":"2026-05-01T10:00:00Z","channel":"webinar-mail"},
             {"profile_id":"{{p[2]}}","name":"pageview","path":"/","timestamp":"2026-06-03T10:00:00Z","channel":"paid","site":"{{site}}"}]
            """);
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0);

        // p1's earliest event (1 May) came by webinar-mail without a site, though it was stored second.
        var byChannel = await CreateAsync(client, HttpJson.Unique("By webinar mail"), """[{"kind":"first_channel","operator":"equals","value":"webinar-mail"}]""");
        var bySite = await CreateAsync(client, HttpJson.Unique("By site"), $$"""[{"kind":"first_site","operator":"equals","value":"{{site}}"}]""");
        Assert.Equal(2, await MembersAsync(client, byChannel));
        Assert.Equal(2, await MembersAsync(client, bySite));

        // As a breakdown of the goal over June: the webinar-mail segment has p0 (completed) and p1 active → 1 of 2.
        var stats = await (await client.GetAsync($"/api/v1/goals/{goalId}/stats?from=2026-06-01&to=2026-06-30")).JsonAsync();
        var row = stats["breakdowns"]!["segment"]!.AsArray().Single(r => (string?)r!["value"] == byChannel.ToString())!;
        Assert.Equal((1, 2, 50.0), ((int)row["completions"]!, (int)row["denominator"]!, (double)row["completion_rate"]!));
        var filtered = await (await client.GetAsync($"/api/v1/goals/{goalId}/stats?from=2026-06-01&to=2026-06-30&segment={bySite}")).JsonAsync();
        Assert.Equal((1, 2), ((int)filtered["completions"]!, (int)filtered["denominator"]!));
    }

    [Fact]
    public async Task OneOf_MatchesAnyOfItsValues_AndOnlySegmentsHaveIt()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("source");
        var people = new[] { ("webinar", HttpJson.Unique("o1")), ("ads", HttpJson.Unique("o2")), ("partner", HttpJson.Unique("o3")), ("7", HttpJson.Unique("o4")) };
        foreach (var (value, profile) in people)
        {
            await client.PostOkAsync($"/api/v1/profiles/{profile}/properties", $$$"""{"properties":{"{{{key}}}":{{{(value == "7" ? "7.0" : $"\"{value}\"")}}}}}""");
        }
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.ProfileProperties.CountAsync(p => p.Key == key)), n => n == 4);

        // Repeats and empty strings go; "7" equals the number 7.0 as equals would have it.
        using var created = await client.PostJsonAsync("/api/v1/segments",
            $$"""{"name":"{{HttpJson.Unique("Webinar or ads")}}","conditions":[{"kind":"property","key":"{{key}}","operator":"one_of","values":["webinar","ads","webinar","","7"]}]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal(["webinar", "ads", "7"], body["conditions"]![0]!["values"]!.AsArray().Select(v => (string)v!));
        Assert.Null(body["conditions"]![0]!["value"]);
        Assert.Equal($"{key} is one of \"webinar\", \"ads\", \"7\"", (string?)body["description"]);
        var id = (int)body["id"]!;
        Assert.Equal(3, await HttpJson.PollAsync(() => MembersAsync(client, id), n => n == 3));

        var negated = await CreateAsync(client, HttpJson.Unique("Neither"), $$"""[{"kind":"property","key":"{{key}}","operator":"one_of","values":["webinar","ads"],"negate":true},{"kind":"property","key":"{{key}}","operator":"exists"}]""");
        Assert.Equal(2, await MembersAsync(client, negated));

        async Task ExpectAsync(string path, string json, string field)
        {
            using var response = await client.PostJsonAsync(path, json);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains(field, await response.ErrorFieldsAsync());
        }
        await ExpectAsync("/api/v1/segments", """{"name":"x","conditions":[{"kind":"property","key":"k","operator":"one_of","values":[]}]}""", "conditions[0].values");
        await ExpectAsync("/api/v1/segments", """{"name":"x","conditions":[{"kind":"property","key":"k","operator":"one_of","value":"a"}]}""", "conditions[0].value");
        await ExpectAsync("/api/v1/segments", """{"name":"x","conditions":[{"kind":"property","key":"k","operator":"equals","value":"a","values":["a"]}]}""", "conditions[0].values");
        await ExpectAsync("/api/v1/segments", $$"""{"name":"x","conditions":[{"kind":"property","key":"k","operator":"one_of","values":["{{new string('v', GoalRules.MaxValueLength + 1)}}"]}]}""", "conditions[0].values");
        await ExpectAsync("/api/v1/goals", """{"name":"x","type":"property","groups":[{"conditions":[{"kind":"property","key":"k","operator":"one_of","value":"a"}]}]}""", "groups[0].conditions[0].operator");
    }

    [Fact]
    public async Task PropertyValueSuggestions_AreTheCommonestCurrentValues()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("tier");
        foreach (var (value, n) in new[] { ("gold", 3), ("silver", 1), ("bronze", 2) })
        {
            for (var i = 0; i < n; i++)
            {
                await client.PostOkAsync($"/api/v1/profiles/{HttpJson.Unique("t")}/properties", $$$"""{"properties":{"{{{key}}}":"{{{value}}}"}}""");
            }
        }
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.ProfileProperties.CountAsync(p => p.Key == key)), n => n == 6);
        Assert.Equal(["gold", "bronze", "silver"], await Factory.Services.GetRequiredService<SuggestionService>().PropertyValuesAsync(key));
    }

    [Fact]
    public void Describe_WritesTheConditionsInWords()
    {
        Assert.Equal("lead_source is \"webinar\" and first channel is not \"paid\" and not (plan is set)", SegmentRules.Describe(
        [
            SegmentCondition.Property("lead_source", Operator.Equals, "webinar"),
            new SegmentCondition(SegmentField.FirstChannel, null, Operator.NotEquals, "paid"),
            SegmentCondition.Property("plan", Operator.Exists, null, negate: true),
        ]));
        Assert.Equal("lead_source is one of \"webinar\", \"ads\"",
            SegmentRules.Describe([new SegmentCondition(SegmentField.Property, "lead_source", Operator.OneOf, null, Values: ["webinar", "ads"])]));
    }
}
