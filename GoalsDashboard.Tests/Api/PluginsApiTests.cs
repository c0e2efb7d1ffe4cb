using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// The Plausible Plugins API's goals (docs/api.md, "Plausible Plugins API"): upstream's controller tests
/// (plausible/analytics, test/plausible_web/plugins/api/controllers/goals_test.exs), one here per upstream test that
/// HTTP can express, named after it. Not ported: the three "examples" tests (they check upstream's OpenAPI examples
/// against its schemas; this API has no OpenAPI document of its own yet) and the two "business tier" tests (402 for a
/// plan without revenue goals: this product has no plans). Where upstream reads its database to check a result, these
/// read ours; where upstream deletes, ours archives (spec), so "deleted" reads "gone from this API and archived".
/// </summary>
public sealed class PluginsApiTests : IAsyncLifetime
{
    private const string Site = "example.com";
    private readonly GoalsAppFactory _factory = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = Authenticated(GoalsAppFactory.ApiToken);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>As upstream's clients authenticate: HTTP Basic, the site's domain as the user, the token as the password.</summary>
    private HttpClient Authenticated(string token)
    {
        var client = _factory.CheckedClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Site}:{token}")));
        return client;
    }

    private Task<HttpResponseMessage> PutAsync(string json) => _client.PutAsync("/api/plugins/v1/goals", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static string[] Details(JsonNode errors) => errors["errors"]!.AsArray().Select(e => (string)e!["detail"]!).ToArray();

    /// <summary>A goal made in the native API (as upstream's tests make theirs with Plausible.Goals.create): its number.</summary>
    private async Task<int> CreateNativeAsync(string json)
    {
        using var native = _factory.ApiClient();
        using var response = await native.PostJsonAsync("/api/v1/goals", json);
        return (int)(await JsonAsync(response, HttpStatusCode.Created))["number"]!;
    }

    private Task<int> CustomEventAsync(string name) =>
        CreateNativeAsync($$"""{"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{name}}"}]}]}""");

    private Task<int> RevenueAsync(string name, string currency) =>
        CreateNativeAsync($$"""{"name":"{{name}}","type":"revenue","currency":"{{currency}}","groups":[{"conditions":[{"kind":"event","event_name":"{{name}}"}]}]}""");

    private Task<int> PageviewAsync(string path) =>
        CreateNativeAsync($$"""{"name":"Visit {{path}}","type":"pageview","groups":[{"conditions":[{"kind":"pageview","path":"{{path}}"}]}]}""");

    private Task<List<Goal>> GoalsAsync() => _factory.QueryAsync(db => db.Goals.AsNoTracking().OrderBy(g => g.Number).ToListAsync());

    // describe "unauthorized calls"

    [Theory]
    [InlineData("GET", "/api/plugins/v1/goals")]
    [InlineData("GET", "/api/plugins/v1/goals/1")]
    [InlineData("PUT", "/api/plugins/v1/goals")]
    [InlineData("DELETE", "/api/plugins/v1/goals/1")]
    [InlineData("DELETE", "/api/plugins/v1/goals")]
    public async Task UnauthorizedCall(string method, string url)
    {
        using var anonymous = _factory.CheckedClient();
        using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(["Plugins API: unauthorized"], Details(await JsonAsync(response, HttpStatusCode.Unauthorized)));
        Assert.Equal("Basic realm=\"Plugins API Access\"", response.Headers.WwwAuthenticate.ToString());

        using var wrong = Authenticated("not-a-token");
        using var refused = await wrong.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    // describe "put /goals - create a single goal"

    [Fact]
    public async Task CreateSingle_ValidatesInputAccordingToTheSchema()
    {
        using var response = await PutAsync("""{"goal_type":"Goal.SomeTypo","goal":{"event_name":"Signup"}}""");
        var errors = await JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("/goal_type", (string)errors["errors"]![0]!["source"]!["pointer"]!);
        Assert.Empty(await GoalsAsync());
    }

    [Fact]
    public async Task CreateSingle_CreatesACustomEventGoal()
    {
        using var response = await PutAsync("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"Signup"}}""");
        var body = await JsonAsync(response, HttpStatusCode.Created);
        var goal = body["goals"]![0]!;
        Assert.Equal("Goal.CustomEvent", (string)goal["goal_type"]!);
        Assert.Equal(("Signup", "Signup"), ((string)goal["goal"]!["event_name"]!, (string)goal["goal"]!["display_name"]!));
        Assert.Equal($"http://localhost/api/plugins/v1/goals/{(int)goal["goal"]!["id"]!}", Assert.Single(response.Headers.GetValues("Location")));
        Assert.False((bool)body["meta"]!["pagination"]!["has_next_page"]!);
        var stored = Assert.Single(await GoalsAsync());
        Assert.Equal((GoalType.CustomEvent, "Signup", (int)goal["goal"]!["id"]!), (stored.Type, stored.Groups[0].Conditions[0].EventName, stored.Number));
    }

    [Fact]
    public async Task CreateSingle_CreatesARevenueGoal()
    {
        using var response = await PutAsync("""{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"EUR"}}""");
        var goal = (await JsonAsync(response, HttpStatusCode.Created))["goals"]![0]!;
        Assert.Equal(("Goal.Revenue", "EUR"), ((string)goal["goal_type"]!, (string)goal["goal"]!["currency"]!));
        Assert.Equal($"http://localhost/api/plugins/v1/goals/{(int)goal["goal"]!["id"]!}", Assert.Single(response.Headers.GetValues("Location")));
        var stored = Assert.Single(await GoalsAsync());
        Assert.Equal((GoalType.Revenue, "Purchase", "EUR"), (stored.Type, stored.Groups[0].Conditions[0].EventName, stored.Currency));
    }

    [Fact]
    public async Task CreateSingle_FailsToCreateARevenueGoalWithUnknownCurrency()
    {
        using var response = await PutAsync("""{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"DFJKHJESFHYU"}}""");
        Assert.Equal(["currency: is invalid"], Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Fact]
    public async Task CreateSingle_EdgeCase_RevenueGoalExistsUnderTheSameNameAndDifferentCurrency()
    {
        await RevenueAsync("Purchase", "USD");
        using var response = await PutAsync("""{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"EUR"}}""");
        Assert.Equal(["event_name: 'Purchase' (with currency: USD) has already been taken"], Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Fact]
    public async Task CreateSingle_CreatesAPageviewGoal()
    {
        using var response = await PutAsync("""{"goal_type":"Goal.Pageview","goal":{"path":"/checkout"}}""");
        var goal = (await JsonAsync(response, HttpStatusCode.Created))["goals"]![0]!;
        Assert.Equal(("Goal.Pageview", "/checkout", "Visit /checkout"), ((string)goal["goal_type"]!, (string)goal["goal"]!["path"]!, (string)goal["goal"]!["display_name"]!));
        Assert.Equal($"http://localhost/api/plugins/v1/goals/{(int)goal["goal"]!["id"]!}", Assert.Single(response.Headers.GetValues("Location")));
        Assert.Equal("/checkout", Assert.Single(await GoalsAsync()).Groups[0].Conditions[0].Path);
    }

    [Fact]
    public async Task CreateSingle_IsIdempotent()
    {
        using var first = await PutAsync("""{"goal_type":"Goal.Pageview","goal":{"path":"/checkout"}}""");
        var one = (await JsonAsync(first, HttpStatusCode.Created)).ToJsonString();
        using var second = await PutAsync("""{"goal_type":"Goal.Pageview","goal":{"path":"/checkout"}}""");
        Assert.Equal(one, (await JsonAsync(second, HttpStatusCode.Created)).ToJsonString());
        Assert.Single(await GoalsAsync());
    }

    // describe "put /goals - bulk creation"

    private const string EachType = """
        {"goals":[{"goal_type":"Goal.CustomEvent","goal":{"event_name":"Signup"}},
                  {"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"EUR"}},
                  {"goal_type":"Goal.Pageview","goal":{"path":"/checkout"}}]}
        """;

    [Fact]
    public async Task Bulk_CreatesAGoalOfEachType()
    {
        using var response = await PutAsync(EachType);
        var goals = (await JsonAsync(response, HttpStatusCode.Created))["goals"]!.AsArray();
        Assert.Equal(3, goals.Count);
        Assert.Equal(goals.Select(g => $"http://localhost/api/plugins/v1/goals/{(int)g!["goal"]!["id"]!}"), response.Headers.GetValues("Location"));
        Assert.Equal(["Goal.CustomEvent", "Goal.Revenue", "Goal.Pageview"], goals.Select(g => (string)g!["goal_type"]!));
        var stored = await GoalsAsync();
        Assert.Equal([GoalType.CustomEvent, GoalType.Revenue, GoalType.PageView], stored.Select(g => g.Type));
        Assert.Equal("EUR", stored[1].Currency);
    }

    [Fact]
    public async Task Bulk_NoMoreThan8GoalsCanBeCreatedInBulk()
    {
        var nine = string.Join(',', Enumerable.Range(1, 9).Select(i => $$$"""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"Bulk Goal #{{{i}}}"}}"""));
        using var response = await PutAsync($$"""{"goals":[{{nine}}]}""");
        Assert.Contains("Array length 9 is larger than maxItems: 8", Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
        Assert.Empty(await GoalsAsync());
    }

    [Fact]
    public async Task Bulk_IsIdempotent()
    {
        using var first = await PutAsync(EachType);
        var one = await JsonAsync(first, HttpStatusCode.Created);
        using var second = await PutAsync(EachType);
        Assert.Equal(one.ToJsonString(), (await JsonAsync(second, HttpStatusCode.Created)).ToJsonString());
        Assert.Equal(3, (await GoalsAsync()).Count);
    }

    [Fact]
    public async Task Bulk_EdgeCase_RevenueGoalsExistUnderTheSameNameAndDifferentCurrency()
    {
        using var first = await PutAsync("""{"goals":[{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"EUR"}}]}""");
        await JsonAsync(first, HttpStatusCode.Created);
        using var second = await PutAsync("""{"goals":[{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase","currency":"USD"}}]}""");
        Assert.Equal(["event_name: 'Purchase' (with currency: EUR) has already been taken"], Details(await JsonAsync(second, HttpStatusCode.UnprocessableEntity)));
    }

    // describe "get /goals/:id"

    [Fact]
    public async Task GetById_ValidatesInputOutOfTheBox()
    {
        using var response = await _client.GetAsync("/api/plugins/v1/goals/hello");
        Assert.Equal(["Invalid integer. Got: string"], Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Fact]
    public async Task GetById_RetrievesRevenueGoalById()
    {
        var id = await RevenueAsync("Purchase", "EUR");
        var goal = await JsonAsync(await _client.GetAsync($"/api/plugins/v1/goals/{id}"), HttpStatusCode.OK);
        Assert.Equal((id, "Goal.Revenue", "Purchase"), ((int)goal["goal"]!["id"]!, (string)goal["goal_type"]!, (string)goal["goal"]!["display_name"]!));
    }

    [Fact]
    public async Task GetById_RetrievesPageviewGoalById()
    {
        var id = await PageviewAsync("/checkout");
        var goal = await JsonAsync(await _client.GetAsync($"/api/plugins/v1/goals/{id}"), HttpStatusCode.OK);
        Assert.Equal((id, "Goal.Pageview", "Visit /checkout"), ((int)goal["goal"]!["id"]!, (string)goal["goal_type"]!, (string)goal["goal"]!["display_name"]!));
    }

    [Fact]
    public async Task GetById_RetrievesCustomEventGoalById()
    {
        var id = await CustomEventAsync("Signup");
        var goal = await JsonAsync(await _client.GetAsync($"/api/plugins/v1/goals/{id}"), HttpStatusCode.OK);
        Assert.Equal((id, "Goal.CustomEvent", "Signup"), ((int)goal["goal"]!["id"]!, (string)goal["goal_type"]!, (string)goal["goal"]!["display_name"]!));
    }

    // describe "get /goals"

    [Fact]
    public async Task List_ReturnsAnEmptyGoalsListIfTheresNone()
    {
        var body = await JsonAsync(await _client.GetAsync("/api/plugins/v1/goals"), HttpStatusCode.OK);
        Assert.Empty(body["goals"]!.AsArray());
        Assert.False((bool)body["meta"]!["pagination"]!["has_next_page"]!);
        Assert.False((bool)body["meta"]!["pagination"]!["has_prev_page"]!);
        Assert.Empty(body["meta"]!["pagination"]!["links"]!.AsObject());
    }

    [Fact]
    public async Task List_ReturnsAListOfGoalsOfEachPossibleGoalType()
    {
        var g1 = await CustomEventAsync("Signup");
        var g2 = await RevenueAsync("Purchase", "EUR");
        var g3 = await PageviewAsync("/checkout");
        var goals = (await JsonAsync(await _client.GetAsync("/api/plugins/v1/goals"), HttpStatusCode.OK))["goals"]!.AsArray();
        Assert.Equal(3, goals.Count);
        var (checkout, purchase, signup) = (goals[0]!, goals[1]!, goals[2]!);
        Assert.Equal(("Visit /checkout", "/checkout", g3, "Goal.Pageview"),
            ((string)checkout["goal"]!["display_name"]!, (string)checkout["goal"]!["path"]!, (int)checkout["goal"]!["id"]!, (string)checkout["goal_type"]!));
        Assert.Equal(("Purchase", "EUR", "Purchase", g2, "Goal.Revenue"),
            ((string)purchase["goal"]!["display_name"]!, (string)purchase["goal"]!["currency"]!, (string)purchase["goal"]!["event_name"]!, (int)purchase["goal"]!["id"]!,
             (string)purchase["goal_type"]!));
        Assert.Equal(("Signup", "Signup", g1, "Goal.CustomEvent"),
            ((string)signup["goal"]!["display_name"]!, (string)signup["goal"]!["event_name"]!, (int)signup["goal"]!["id"]!, (string)signup["goal_type"]!));
    }

    [Fact]
    public async Task List_ReturnsAListOfGoalsWithPagination()
    {
        for (var i = 1; i <= 5; i++)
        {
            await CustomEventAsync($"Goal {i}");
        }
        var page1 = await JsonAsync(await _client.GetAsync("/api/plugins/v1/goals?limit=2"), HttpStatusCode.OK);
        Assert.Equal(["Goal 5", "Goal 4"], page1["goals"]!.AsArray().Select(g => (string)g!["goal"]!["event_name"]!));
        var pagination1 = page1["meta"]!["pagination"]!;
        Assert.True((bool)pagination1["has_next_page"]!);
        Assert.False((bool)pagination1["has_prev_page"]!);
        Assert.NotNull(pagination1["links"]!["next"]);
        Assert.Null(pagination1["links"]!["prev"]);

        var page2 = await JsonAsync(await _client.GetAsync((string)pagination1["links"]!["next"]!["url"]!), HttpStatusCode.OK);
        Assert.Equal(["Goal 3", "Goal 2"], page2["goals"]!.AsArray().Select(g => (string)g!["goal"]!["event_name"]!));
        var pagination2 = page2["meta"]!["pagination"]!;
        Assert.True((bool)pagination2["has_next_page"]!);
        Assert.True((bool)pagination2["has_prev_page"]!);
        Assert.NotNull(pagination2["links"]!["next"]);
        Assert.NotNull(pagination2["links"]!["prev"]);

        var again = await JsonAsync(await _client.GetAsync((string)pagination2["links"]!["prev"]!["url"]!), HttpStatusCode.OK);
        Assert.Equal(page1.ToJsonString(), again.ToJsonString());
    }

    // describe "delete /goals/:id"

    [Fact]
    public async Task Delete_DeletesGoalById()
    {
        var id = await RevenueAsync("Purchase", "USD");
        using var response = await _client.DeleteAsync($"/api/plugins/v1/goals/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/plugins/v1/goals/{id}")).StatusCode);
        Assert.Equal(GoalStatus.Archived, Assert.Single(await GoalsAsync()).Status);
    }

    [Fact]
    public async Task Delete_IsIdempotent()
    {
        using var response = await _client.DeleteAsync("/api/plugins/v1/goals/666");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    // describe "delete - bulk"

    [Fact]
    public async Task DeleteBulk_DeleteMultipleGoals()
    {
        var ids = new[] { await RevenueAsync("Purchase", "USD"), await CustomEventAsync("Signup"), await PageviewAsync("/home") };
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/plugins/v1/goals")
        {
            Content = new StringContent($$"""{"goal_ids":[{{string.Join(',', ids)}}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.All(await GoalsAsync(), g => Assert.Equal(GoalStatus.Archived, g.Status));
        Assert.Empty((await JsonAsync(await _client.GetAsync("/api/plugins/v1/goals"), HttpStatusCode.OK))["goals"]!.AsArray());
    }

    // What section 5.2 adds to upstream's tests.

    [Fact]
    public async Task ABearerTokenAndABareTokenWork_AndAReadOnlyTokenCannotWrite()
    {
        var readOnly = await _factory.CreateTokenAsync(false, ApiScopes.GoalsRead);
        using var bare = _factory.CheckedClient();
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(readOnly)));
        Assert.Equal(HttpStatusCode.OK, (await bare.GetAsync("/api/plugins/v1/goals")).StatusCode);
        using var put = await bare.PutAsync("/api/plugins/v1/goals", new StringContent("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"Signup"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);

        using var bearer = _factory.ApiClient();
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/plugins/v1/goals")).StatusCode);
    }

    [Fact]
    public async Task ADeletedGoal_IsRestoredByCreatingItAgain_WithItsNumber()
    {
        using var first = await PutAsync("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":" Signup ","custom_props":{"plan":"pro"}}}""");
        var goal = (await JsonAsync(first, HttpStatusCode.Created))["goals"]![0]!["goal"]!;
        Assert.Equal(("Signup", "pro"), ((string)goal["event_name"]!, (string)goal["custom_props"]!["plan"]!));
        var id = (int)goal["id"]!;
        await _client.DeleteAsync($"/api/plugins/v1/goals/{id}");

        using var again = await PutAsync("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"Signup"}}""");
        Assert.Equal(id, (int)(await JsonAsync(again, HttpStatusCode.Created))["goals"]![0]!["goal"]!["id"]!);
        Assert.Equal(GoalStatus.Active, Assert.Single(await GoalsAsync()).Status);
    }

    [Fact]
    public async Task GoalsThisApiCannotShow_AreNotListed_AndTheirNumbersAre404()
    {
        var combined = await CreateNativeAsync("""
            {"name":"Signup then purchase","type":"combined","groups":[{"conditions":[{"kind":"event","event_name":"signup"},{"kind":"event","event_name":"purchase"}]}]}
            """);
        Assert.Empty((await JsonAsync(await _client.GetAsync("/api/plugins/v1/goals"), HttpStatusCode.OK))["goals"]!.AsArray());
        Assert.Equal(["Plugins API: resource not found"], Details(await JsonAsync(await _client.GetAsync($"/api/plugins/v1/goals/{combined}"), HttpStatusCode.NotFound)));
    }

    [Theory]
    [InlineData("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":5}}""", "Invalid string. Got: integer")]
    [InlineData("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":null}}""", "null value where string expected")]
    [InlineData("""{"goal":{"event_name":"x"}}""", "Missing field: goal_type")]
    [InlineData("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"x","custom_props":{"a":"1","b":"2","c":"3","d":"4"}}}""",
        "Object property count 4 is greater than maxProperties: 3")]
    public async Task MalformedRequests_Get422_WordedAsUpstream(string body, string detail)
    {
        using var response = await PutAsync(body);
        Assert.Contains(detail, Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Theory]
    [InlineData("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"engagement"}}""", "event_name: The event name 'engagement' is reserved and cannot be used as a goal")]
    [InlineData("""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""",
        "event_name: should be at most 120 character(s)")]
    public async Task InvalidGoals_Get422_WordedAsUpstream(string body, string detail)
    {
        using var response = await PutAsync(body);
        Assert.Equal([detail], Details(await JsonAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Fact]
    public async Task MalformedJson_Gets400_AndNothingIsStored()
    {
        using var response = await PutAsync("""{"goal_type":""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await GoalsAsync());
    }

    [Fact]
    public async Task NumbersFollowCreationOrder_AreInTheNativeApi_AndAreNeverReused()
    {
        var first = await CustomEventAsync("First");
        var second = await CustomEventAsync("Second");
        Assert.Equal(first + 1, second);
        using var native = _factory.ApiClient();
        var id = (await GoalsAsync()).Single(g => g.Number == second).Id;
        Assert.Equal(second, (int)(await JsonAsync(await native.GetAsync($"/api/v1/goals/{id}"), HttpStatusCode.OK))["number"]!);

        // The newest goal deleted for good: its number stays taken.
        Assert.Equal(HttpStatusCode.NoContent, (await native.DeleteAsync($"/api/v1/goals/{id}?permanent=true")).StatusCode);
        Assert.Equal(second + 1, await CustomEventAsync("Third"));
    }
}
