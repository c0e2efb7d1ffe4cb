using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GoalsDashboard.Domain;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Tests.Api;

public class GoalsApiTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private static string EventGoal(string name, string eventName) =>
        $$"""{"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{eventName}}"}]}]}""";

    [Fact]
    public async Task NoToken_Is401_BadToken_Is401_AsProblemDetails()
    {
        using var anonymous = Factory.ApiClient(token: null);
        using var response = await anonymous.GetAsync("/api/v1/goals");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var bad = Factory.ApiClient("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/api/v1/goals")).StatusCode);
    }

    [Fact]
    public async Task TokenWithoutTheScope_Is403()
    {
        using var client = Factory.ApiClient(await Factory.CreateTokenAsync(false, ApiScopes.EventsWrite));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/goals")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/api/v1/goals", EventGoal("x", "x"))).StatusCode);
    }

    [Fact]
    public async Task Create_Returns201_WithTheSnakeCaseShape()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Signup", 24);
        using var response = await client.PostJsonAsync("/api/v1/goals", $$"""
            {"name":"{{name}}","type":"combined","default_value":10,"target_rate":5,"window":{"amount":7,"unit":"days","anchor":"first_seen"},
             "groups":[{"conditions":[{"kind":"event","event_name":"purchase_completed","filters":[{"key":"order_value","operator":"greater_than","value":"50"}]},
             {"kind":"pageview","path":"pricing"},{"kind":"property","key":"plan","operator":"equals","value":"pro","negate":true}]}]}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var goal = await response.JsonAsync();
        Assert.Equal(name, (string?)goal["name"]);
        Assert.Equal("combined", (string?)goal["type"]);
        Assert.Equal("active", (string?)goal["status"]);
        Assert.Equal("/pricing", (string?)goal["groups"]![0]!["conditions"]![1]!["path"]);
        Assert.Equal("greater_than", (string?)goal["groups"]![0]!["conditions"]![0]!["filters"]![0]!["operator"]);
        Assert.True((bool)goal["groups"]![0]!["conditions"]![2]!["negate"]!);
        Assert.Equal(7, (int)goal["window"]!["amount"]!);
        Assert.Equal("first_seen", (string?)goal["window"]!["anchor"]);
        Assert.NotNull(goal["created_at"]);
        Assert.EndsWith($"/api/v1/goals/{goal["id"]}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Create_Invalid_Is422_NamingTheField()
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/goals", EventGoal(HttpJson.Unique("Bad", 24), "engagement"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("groups[0].conditions[0].event_name", await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Create_WithUnknownOperatorAndType_Is422()
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/goals",
            """{"name":"Op","type":"fancy","groups":[{"conditions":[{"kind":"property","key":"plan","operator":"is","value":"pro"}]}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = await response.ErrorFieldsAsync();
        Assert.Contains("type", fields);
        Assert.Contains("groups[0].conditions[0].operator", fields);
    }

    [Fact]
    public async Task MalformedJson_Is400()
    {
        using var client = Factory.ApiClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/v1/goals", "{\"name\":")).StatusCode);
    }

    [Fact]
    public async Task Bulk_OfNine_Is422_AndCreatesNothing()
    {
        using var client = Factory.ApiClient();
        var prefix = HttpJson.Unique("Bulk9", 24);
        var body = "[" + string.Join(",", Enumerable.Range(0, 9).Select(i => EventGoal($"{prefix}-{i}", $"{prefix}_ev{i}"))) + "]";
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync("/api/v1/goals", body)).StatusCode);
        Assert.Equal(0, await Factory.QueryAsync(db => db.Goals.CountAsync(g => g.Name.StartsWith(prefix))));
    }

    [Fact]
    public async Task Bulk_WithOneInvalid_Is422_NamingItsIndex_AndCreatesNothing()
    {
        using var client = Factory.ApiClient();
        var prefix = HttpJson.Unique("BulkBad", 24);
        var body = $"[{EventGoal($"{prefix}-a", $"{prefix}_a")},{EventGoal($"{prefix}-b", "")}]";
        using var response = await client.PostJsonAsync("/api/v1/goals", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("[1].groups[0].conditions[0].event_name", await response.ErrorFieldsAsync());
        Assert.Equal(0, await Factory.QueryAsync(db => db.Goals.CountAsync(g => g.Name.StartsWith(prefix))));
    }

    [Fact]
    public async Task Bulk_ReturnsTheGoalsInRequestOrder()
    {
        using var client = Factory.ApiClient();
        var prefix = HttpJson.Unique("BulkOk", 24);
        using var response = await client.PostJsonAsync("/api/v1/goals", $"[{EventGoal($"{prefix}-b", $"{prefix}_b")},{EventGoal($"{prefix}-a", $"{prefix}_a")}]");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var goals = (await response.JsonAsync()).AsArray();
        Assert.Equal([$"{prefix}-b", $"{prefix}-a"], goals.Select(g => (string)g!["name"]!));
    }

    [Fact]
    public async Task Upsert_ReturnsTheExistingGoal_InsteadOfADuplicate()
    {
        using var client = Factory.ApiClient();
        var eventName = HttpJson.Unique("upsert", 24);
        var first = await (await client.PostJsonAsync("/api/v1/goals", EventGoal(HttpJson.Unique("Up", 24), eventName))).JsonAsync();
        using var second = await client.PostJsonAsync("/api/v1/goals", EventGoal(HttpJson.Unique("Other name", 24), eventName));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((string?)first["id"], (string?)(await second.JsonAsync())["id"]);
        Assert.Equal(1, await Factory.QueryAsync(db => db.Goals.CountAsync(g => g.Name == (string)first["name"]!)));
    }

    [Fact]
    public async Task NameTakenByAnotherGoal_Is422OnName_IgnoringCase()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Taken", 24);
        await client.PostJsonAsync("/api/v1/goals", EventGoal(name, HttpJson.Unique("e1", 24)));
        using var response = await client.PostJsonAsync("/api/v1/goals", EventGoal(name.ToUpperInvariant(), HttpJson.Unique("e2", 24)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["name"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task List_IsPagedOldestFirst_WithLinks_AndAStatusFilter()
    {
        await using var factory = new GoalsAppFactory();
        using var client = factory.ApiClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostJsonAsync("/api/v1/goals", EventGoal($"Goal {i}", $"event_{i}"));
        }
        var page1 = await (await client.GetAsync("/api/v1/goals?page=1&page_size=2")).JsonAsync();
        Assert.Equal(5, (int)page1["total"]!);
        Assert.Equal(["Goal 0", "Goal 1"], page1["results"]!.AsArray().Select(g => (string)g!["name"]!));
        Assert.Null(page1["previous"]);
        var page2 = await (await client.GetAsync(new Uri((string)page1["next"]!).PathAndQuery)).JsonAsync();
        Assert.Equal(["Goal 2", "Goal 3"], page2["results"]!.AsArray().Select(g => (string)g!["name"]!));
        Assert.NotNull(page2["previous"]);
        var last = await (await client.GetAsync("/api/v1/goals?page=3&page_size=2")).JsonAsync();
        Assert.Null(last["next"]);

        var id = (string)page1["results"]![0]!["id"]!;
        await client.DeleteAsync($"/api/v1/goals/{id}");
        var archived = await (await client.GetAsync("/api/v1/goals?status=archived")).JsonAsync();
        Assert.Equal(1, (int)archived["total"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/api/v1/goals?page_size=101")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/api/v1/goals?status=deleted")).StatusCode);
    }

    [Fact]
    public async Task Get_Unknown_Is404()
    {
        using var client = Factory.ApiClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/goals/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Put_WithAStaleETag_Is409_AndOverwritesNothing()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Etag", 24);
        var created = await (await client.PostJsonAsync("/api/v1/goals", EventGoal(name, HttpJson.Unique("ev", 24)))).JsonAsync();
        var url = $"/api/v1/goals/{created["id"]}";
        using var get = await client.GetAsync(url);
        var etag = get.Headers.ETag!.Tag;

        using var first = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(EventGoal(name + " A", "ev_a"), Encoding.UTF8, "application/json") };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var firstResponse = await client.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.NotEqual(etag, firstResponse.Headers.ETag!.Tag);

        using var second = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(EventGoal(name + " B", "ev_b"), Encoding.UTF8, "application/json") };
        second.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var secondResponse = await client.SendAsync(second);
        Assert.Equal(HttpStatusCode.Conflict, secondResponse.StatusCode);
        Assert.Equal(name + " A", (string?)(await (await client.GetAsync(url)).JsonAsync())["name"]);
    }

    [Fact]
    public async Task Patch_MergesIntoTheGoal()
    {
        using var client = Factory.ApiClient();
        var created = await (await client.PostJsonAsync("/api/v1/goals", EventGoal(HttpJson.Unique("Patch", 24), HttpJson.Unique("ev", 24)))).JsonAsync();
        var newName = HttpJson.Unique("Patched", 24);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/goals/{created["id"]}")
        {
            Content = new StringContent($$"""{"name":"{{newName}}","target_rate":7.5}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        var patched = await (await client.SendAsync(patch)).JsonAsync();
        Assert.Equal(newName, (string?)patched["name"]);
        Assert.Equal(7.5, (double)patched["target_rate"]!);
        Assert.Equal((string?)created["groups"]![0]!["conditions"]![0]!["event_name"], (string?)patched["groups"]![0]!["conditions"]![0]!["event_name"]);
    }

    [Fact]
    public async Task RevenueCurrency_CannotChange()
    {
        using var client = Factory.ApiClient();
        var ev = HttpJson.Unique("buy", 24);
        var created = await (await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique("Rev", 24)}}","type":"revenue","currency":"EUR","groups":[{"conditions":[{"kind":"event","event_name":"{{ev}}"}]}]}""")).JsonAsync();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/goals/{created["id"]}") { Content = new StringContent("""{"currency":"USD"}""", Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(patch);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("currency", await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Delete_Archives_PermanentNeedsAnAdminToken()
    {
        using var admin = Factory.ApiClient();
        var created = await (await admin.PostJsonAsync("/api/v1/goals", EventGoal(HttpJson.Unique("Del", 24), HttpJson.Unique("ev", 24)))).JsonAsync();
        var url = $"/api/v1/goals/{created["id"]}";

        using var archive = await admin.DeleteAsync(url);
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal("archived", (string?)(await archive.JsonAsync())["status"]);

        using var editor = Factory.ApiClient(await Factory.CreateTokenAsync(false, ApiScopes.GoalsRead, ApiScopes.GoalsWrite));
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.DeleteAsync(url + "?permanent=true")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(url + "?permanent=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);
    }
}
