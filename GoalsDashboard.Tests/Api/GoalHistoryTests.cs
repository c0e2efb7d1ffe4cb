using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// A goal's history (docs/history.md): every write path — the wizard's and the editor's save, the list's archive and
/// restore, the native API, the Plausible Plugins API, linking from a campaign — leaves exactly one entry naming who
/// did it, with each changed field before and after.
/// </summary>
public sealed class GoalHistoryTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;
    private GoalService Goals => Factory.Services.GetRequiredService<GoalService>();

    private static GoalDraft Draft(string name, string eventName) => new()
    {
        Name = name,
        Type = GoalType.CustomEvent,
        Groups = [new ConditionGroup([Condition.ForEvent(eventName)])],
    };

    private async Task<JsonArray> HistoryAsync(Guid id)
    {
        using var client = Factory.ApiClient();
        using var response = await client.GetAsync($"/api/v1/goals/{id}/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["results"]!.AsArray();
    }

    private static (string Action, string Actor) Head(JsonArray history) => ((string)history[0]!["action"]!, (string)history[0]!["actor"]!);

    private static JsonNode Change(JsonArray history, string field) => history[0]!["changes"]!.AsArray().Single(c => (string)c!["field"]! == field)!;

    [Fact]
    public async Task TheWizardTheEditorAndTheListsArchiveAndRestore_EachLeaveOneEntry_ByTheUser()
    {
        var name = HttpJson.Unique("Wizard goal");
        var goal = await Goals.CreateAsync(Draft(name, "signup"), "ann@example.com");
        var history = await HistoryAsync(goal.Id);
        Assert.Single(history);
        Assert.Equal(("created", "ann@example.com"), Head(history));
        Assert.Contains("signup", (string)Change(history, "definition")["after"]!);

        await Goals.ReplaceAsync(goal.Id, Draft(name + " renamed", "purchase") with { Description = "Now purchases" }, goal.Version, "bob@example.com");
        history = await HistoryAsync(goal.Id);
        Assert.Equal(2, history.Count);
        Assert.Equal(("edited", "bob@example.com"), Head(history));
        var definition = Change(history, "definition");
        Assert.Contains("“signup”", (string)definition["before"]!);
        Assert.Contains("“purchase”", (string)definition["after"]!);
        Assert.Equal((name, name + " renamed"), ((string)Change(history, "name")["before"]!, (string)Change(history, "name")["after"]!));
        Assert.Equal("Now purchases", (string)Change(history, "description")["after"]!);

        await Goals.SetStatusAsync(goal.Id, GoalStatus.Archived, "cat@example.com");
        Assert.Equal(("archived", "cat@example.com"), Head(await HistoryAsync(goal.Id)));
        await Goals.SetStatusAsync(goal.Id, GoalStatus.Active, "dan@example.com");
        history = await HistoryAsync(goal.Id);
        Assert.Equal(4, history.Count);
        Assert.Equal(("restored", "dan@example.com"), Head(history));

        // Saved again unchanged: nothing to record.
        var saved = (await Goals.GetAsync(goal.Id))!.Value.Goal;
        await Goals.ReplaceAsync(goal.Id, Draft(name + " renamed", "purchase") with { Description = "Now purchases" }, saved.Version, "bob@example.com");
        Assert.Equal(4, (await HistoryAsync(goal.Id)).Count);
    }

    [Fact]
    public async Task TheNativeApi_LeavesOneEntryPerWrite_ByTheTokensName_AndKeepsTheHistoryOfADeletedGoal()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Api goal");
        using var created = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"signup"}]}]}""");
        var id = Guid.Parse((string)(await created.JsonAsync())["id"]!);
        var history = await HistoryAsync(id);
        Assert.Single(history);
        Assert.Equal("created", Head(history).Action);
        Assert.StartsWith("token:", Head(history).Actor);

        using (var patched = await client.PatchAsync($"/api/v1/goals/{id}", HttpJson.Json("""{"target_rate":12.5}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }
        history = await HistoryAsync(id);
        Assert.Equal(2, history.Count);
        Assert.Equal("edited", Head(history).Action);
        Assert.Equal("12.5", (string)Change(history, "target_rate")["after"]!);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/goals/{id}")).StatusCode);
        Assert.Equal("archived", Head(await HistoryAsync(id)).Action);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/goals/{id}?permanent=true")).StatusCode);
        history = await HistoryAsync(id);
        Assert.Equal(4, history.Count);
        Assert.Equal("deleted", Head(history).Action);

        // Paged, newest first.
        var page = await (await client.GetAsync($"/api/v1/goals/{id}/history?page=2&page_size=3")).JsonAsync();
        Assert.Equal(("created", 4), ((string)page["results"]![0]!["action"]!, (int)page["total"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/goals/{Guid.NewGuid()}/history")).StatusCode);
    }

    [Fact]
    public async Task ThePluginsApi_LeavesOneEntryPerWrite_ByTheTokensName()
    {
        using var client = Factory.CheckedClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"example.com:{GoalsAppFactory.ApiToken}")));
        var eventName = HttpJson.Unique("plugin_event");
        using var put = await client.PutAsync("/api/plugins/v1/goals",
            new StringContent($$$"""{"goal_type":"Goal.CustomEvent","goal":{"event_name":"{{{eventName}}}"}}""", Encoding.UTF8, "application/json"));
        var number = (int)(await put.JsonAsync())["goals"]![0]!["goal"]!["id"]!;
        var goal = (await Goals.AllAsync()).Single(g => g.Number == number);
        var history = await HistoryAsync(goal.Id);
        Assert.Single(history);
        Assert.StartsWith("token:", Head(history).Actor);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/plugins/v1/goals/{number}")).StatusCode);
        history = await HistoryAsync(goal.Id);
        Assert.Equal(2, history.Count);
        Assert.Equal("archived", Head(history).Action);
    }

    [Fact]
    public async Task LinkingFromACampaign_LeavesOneEntry_NamingTheCampaign()
    {
        var goal = await Goals.CreateAsync(Draft(HttpJson.Unique("Linked goal"), "signup"), "ann@example.com");
        var key = HttpJson.Unique("spring");
        var campaigns = Factory.Services.GetRequiredService<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignDraft("Spring", key, "email", null, null), "ann@example.com");

        await campaigns.SetLinkAsync(goal.Id, campaign.Id, linked: true, "eve@example.com");
        var history = await HistoryAsync(goal.Id);
        Assert.Equal(2, history.Count);
        Assert.Equal(("campaign_linked", "eve@example.com"), Head(history));
        Assert.Equal(key, (string)Change(history, "campaigns")["after"]!);

        await campaigns.SetLinkAsync(goal.Id, campaign.Id, linked: false, "eve@example.com");
        history = await HistoryAsync(goal.Id);
        Assert.Equal(3, history.Count);
        Assert.Equal("campaign_unlinked", Head(history).Action);
        Assert.Equal(key, (string)Change(history, "campaigns")["before"]!);
    }
}

/// <summary>
/// Funnels, campaigns and segments keep their history in the same table (docs/history.md): one entry per write,
/// by the user or the API token, each changed field before and after, kept after a delete.
/// </summary>
public sealed class OtherHistoryTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private async Task<JsonArray> HistoryAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path + "/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["results"]!.AsArray();
    }

    private static string? Field(JsonNode entry, string field, string side) =>
        (string?)entry["changes"]!.AsArray().Single(c => (string)c!["field"]! == field)![side];

    private async Task<Guid> GoalAsync(string name)
    {
        var goals = Factory.Services.GetRequiredService<GoalService>();
        return (await goals.CreateAsync(new GoalDraft
        {
            Name = HttpJson.Unique(name), Type = GoalType.CustomEvent, Groups = [new ConditionGroup([Condition.ForEvent(HttpJson.Unique("e"))])],
        }, "ann@example.com")).Id;
    }

    [Fact]
    public async Task AFunnel_CreatedEditedAndDeletedThroughTheApi_HasThreeEntries_WithItsStepsAsSentences()
    {
        var (first, second, third) = (await GoalAsync("Signup"), await GoalAsync("Trial"), await GoalAsync("Purchase"));
        var names = Factory.Services.GetRequiredService<GoalService>();
        string Name(Guid id) => names.GetAsync(id).GetAwaiter().GetResult()!.Value.Goal.Name;
        using var client = Factory.ApiClient();
        using var created = await client.PostJsonAsync("/api/v1/funnels",
            $$$"""{"name":"Onboarding","steps":[{"goal_id":"{{{first}}}"},{"goal_id":"{{{second}}}","window":{"amount":2,"unit":"days"}}]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = $"/api/v1/funnels/{(int)(await created.JsonAsync())["id"]!}";
        var history = await HistoryAsync(client, path);
        Assert.Single(history);
        Assert.Equal("created", (string)history[0]!["action"]!);
        Assert.StartsWith("token:", (string)history[0]!["actor"]!);
        Assert.Equal($"{Name(first)} → {Name(second)} (within 2 days)", Field(history[0]!, "steps", "after"));

        using (var replaced = await client.PutAsync(path, HttpJson.Json(
            $$$"""{"name":"Onboarding v2","steps":[{"goal_id":"{{{first}}}"},{"goal_id":"{{{third}}}"},{"goal_id":"{{{second}}}"}],"window":{"amount":30,"unit":"days"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }
        history = await HistoryAsync(client, path);
        Assert.Equal(2, history.Count);
        Assert.Equal("edited", (string)history[0]!["action"]!);
        Assert.Equal(("Onboarding", "Onboarding v2"), (Field(history[0]!, "name", "before"), Field(history[0]!, "name", "after")));
        Assert.Equal($"{Name(first)} → {Name(third)} → {Name(second)}", Field(history[0]!, "steps", "after"));
        Assert.Equal("within 30 days", Field(history[0]!, "window", "after"));
        using (var stats = await client.GetAsync(path))
        {
            Assert.Equal(3, (await stats.JsonAsync())["steps"]!.AsArray().Count);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(path)).StatusCode);
        history = await HistoryAsync(client, path);
        Assert.Equal(3, history.Count);
        Assert.Equal("deleted", (string)history[0]!["action"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/funnels/987654/history")).StatusCode);
    }

    [Fact]
    public async Task ASegment_ChangedInTheDashboard_NamesTheUser_AndItsConditionsAsSentences()
    {
        var segments = Factory.Services.GetRequiredService<SegmentService>();
        var name = HttpJson.Unique("Pro users");
        var segment = await segments.CreateAsync(new SegmentDraft(name, [SegmentCondition.Property("plan", Operator.Equals, "pro")]), "ann@example.com");
        await segments.UpdateAsync(segment.Id, new SegmentDraft(name, [SegmentCondition.Property("plan", Operator.Equals, "team")]), "bob@example.com");
        using var client = Factory.ApiClient();
        var history = await HistoryAsync(client, $"/api/v1/segments/{segment.Id}");
        Assert.Equal(2, history.Count);
        Assert.Equal(("edited", "bob@example.com"), ((string)history[0]!["action"]!, (string)history[0]!["actor"]!));
        Assert.Contains("pro", Field(history[0]!, "conditions", "before"));
        Assert.Contains("team", Field(history[0]!, "conditions", "after"));
        Assert.Equal(("created", "ann@example.com"), ((string)history[1]!["action"]!, (string)history[1]!["actor"]!));

        await segments.DeleteAsync(segment.Id, "cat@example.com");
        history = await HistoryAsync(client, $"/api/v1/segments/{segment.Id}");
        Assert.Equal(("deleted", "cat@example.com"), ((string)history[0]!["action"]!, (string)history[0]!["actor"]!));
    }

    [Fact]
    public async Task ACampaign_KeepsItsHistoryThroughAChangeOfKey()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("spring");
        using var created = await client.PostJsonAsync("/api/v1/campaigns", $$"""{"name":"Spring","key":"{{key}}","channel":"email"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var replaced = await client.PutAsync($"/api/v1/campaigns/{key}",
            HttpJson.Json($$"""{"name":"Spring sale","key":"{{key}}-2","channel":"email","starts_on":"2026-03-01"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }
        var history = await HistoryAsync(client, $"/api/v1/campaigns/{key}-2");
        Assert.Equal(2, history.Count);
        Assert.Equal((key, key + "-2"), (Field(history[0]!, "key", "before"), Field(history[0]!, "key", "after")));
        Assert.Equal("2026-03-01", Field(history[0]!, "starts_on", "after"));
        Assert.Equal(key, Field(history[1]!, "key", "after"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/campaigns/{key}/history")).StatusCode);
    }
}
