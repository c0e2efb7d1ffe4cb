using System.Net;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Campaigns;

/// <summary>Campaigns through the API and the services: authoring, audiences (events and imports), attribution, linking.</summary>
public class CampaignTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private AnalyticsService Analytics => Factory.Services.GetRequiredService<AnalyticsService>();

    private CampaignService Campaigns => Factory.Services.GetRequiredService<CampaignService>();

    private async Task<int> AudienceSizeAsync(HttpClient client, string key) =>
        (int)(await (await client.GetAsync($"/api/v1/campaigns/{key}")).JsonAsync())["audience_size"]!;

    private async Task<Dictionary<string, long>> EntriesAsync(string key) => await Factory.QueryAsync(db =>
        db.AudienceEntries.Where(a => db.Campaigns.Any(c => c.Id == a.CampaignId && c.Key == key))
            .Join(db.Profiles, a => a.ProfileId, p => p.Id, (a, p) => new { p.ExternalId, a.EnteredAt })
            .ToDictionaryAsync(x => x.ExternalId, x => x.EnteredAt.ToUnixTimeMilliseconds()));

    // Evaluation clears a mark after its results are stored and applied (the change feed), so nothing is left to wait for.
    private Task SettleAsync() => HttpJson.PollAsync(() => Factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0);

    [Fact]
    public async Task Create_Returns201_AndBuildsTheAudienceFromEventsAlreadyStored()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("late");
        var (a, b) = (HttpJson.Unique("pa"), HttpJson.Unique("pb"));
        await client.PostOkAsync("/api/v1/events", $$"""
            [{"profile_id":"{{a}}","name":"pageview","path":"/","timestamp":"2026-04-02T10:00:00Z","campaign":"{{key}}"},
             {"profile_id":"{{a}}","name":"pageview","path":"/","timestamp":"2026-04-01T10:00:00Z","campaign":"{{key}}"},
             {"profile_id":"{{b}}","name":"pageview","path":"/","timestamp":"2026-04-03T10:00:00Z","campaign":"{{key}}"},
             {"profile_id":"{{b}}","name":"pageview","path":"/","timestamp":"2026-03-03T10:00:00Z"}]
            """);

        using var created = await client.PostJsonAsync("/api/v1/campaigns",
            $$"""{"name":"Late campaign","key":"{{key}}","channel":"email","starts_on":"2026-04-01","ends_on":"2026-04-30"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal(key, (string?)body["key"]);
        Assert.Equal("2026-04-01", (string?)body["starts_on"]);
        Assert.Equal(2, (int)body["audience_size"]!);
        Assert.EndsWith($"/api/v1/campaigns/{key}", created.Headers.Location!.ToString());

        // Entry = the first event carrying the key, not the profile's first event.
        var entries = await EntriesAsync(key);
        Assert.Equal(DateTimeOffset.Parse("2026-04-01T10:00:00Z").ToUnixTimeMilliseconds(), entries[a]);
        Assert.Equal(DateTimeOffset.Parse("2026-04-03T10:00:00Z").ToUnixTimeMilliseconds(), entries[b]);

        // Later events keep the audience up to date at ingestion.
        await client.PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{HttpJson.Unique("pc")}}","name":"pageview","path":"/","timestamp":"2026-04-05T10:00:00Z","campaign":"{{key}}"}""");
        Assert.Equal(3, await HttpJson.PollAsync(() => AudienceSizeAsync(client, key), n => n == 3));
        var list = (await (await client.GetAsync("/api/v1/campaigns")).JsonAsync()).AsArray();
        Assert.Contains(list, c => (string?)c!["key"] == key && (int)c["audience_size"]! == 3);
    }

    [Fact]
    public async Task BadCampaigns_Are422_NamingTheField()
    {
        using var client = Factory.ApiClient();
        using var missing = await client.PostJsonAsync("/api/v1/campaigns", """{"name":"  "}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal(["channel", "key", "name"], (await missing.ErrorFieldsAsync()).Order());

        using var dates = await client.PostJsonAsync("/api/v1/campaigns", """{"name":"x","key":"x-dates","channel":"email","starts_on":"2026-05-02","ends_on":"2026-05-01"}""");
        Assert.Equal(["ends_on"], await dates.ErrorFieldsAsync());
        using var badDate = await client.PostJsonAsync("/api/v1/campaigns", """{"name":"x","key":"x-dates","channel":"email","starts_on":"May 2"}""");
        Assert.Equal(["starts_on"], await badDate.ErrorFieldsAsync());

        var key = HttpJson.Unique("dup");
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":"First","key":"{{key}}","channel":"email"}""");
        using var duplicate = await client.PostJsonAsync("/api/v1/campaigns", $$"""{"name":"Second","key":"{{key}}","channel":"email"}""");
        Assert.Equal(["key"], await duplicate.ErrorFieldsAsync());
        Assert.Equal(1, await Factory.QueryAsync(db => db.Campaigns.CountAsync(c => c.Key == key)));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/campaigns/no-such-campaign")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/v1/campaigns", "{oops")).StatusCode);
    }

    [Fact]
    public async Task TheKey_CanChangeUntilEventsCarryIt_ThenNot()
    {
        using var client = Factory.ApiClient();
        var (first, second) = (HttpJson.Unique("k1"), HttpJson.Unique("k2"));
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":"Renamed","key":"{{first}}","channel":"email"}""");

        using var renamed = await client.PutAsync($"/api/v1/campaigns/{first}", HttpJson.Json($$"""{"name":"Renamed","key":"{{second}}","channel":"paid"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("paid", (string?)(await renamed.JsonAsync())["channel"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/campaigns/{first}")).StatusCode);

        await client.PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{HttpJson.Unique("p")}}","name":"pageview","path":"/","campaign":"{{second}}"}""");
        using var locked = await client.PutAsync($"/api/v1/campaigns/{second}", HttpJson.Json($$"""{"name":"Renamed","key":"{{first}}","channel":"paid"}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, locked.StatusCode);
        Assert.Equal(["key"], await locked.ErrorFieldsAsync());
        Assert.Equal(1, await AudienceSizeAsync(client, second));

        // Other fields still change.
        using var edited = await client.PutAsync($"/api/v1/campaigns/{second}", HttpJson.Json($$"""{"name":"Renamed again","key":"{{second}}","channel":"social"}"""));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("Renamed again", (string?)(await edited.JsonAsync())["name"]);
    }

    [Fact]
    public async Task AudienceImport_UnknownCampaign404_BadRows422WithTheirRows_NothingStored()
    {
        using var client = Factory.ApiClient();
        using var unknown = await client.PostJsonAsync("/api/v1/campaigns/no-such-campaign/audience", """{"entries":[{"profile_id":"p"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var key = HttpJson.Unique("imp");
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":"Import","key":"{{key}}","channel":"email"}""");
        using var bad = await client.PostJsonAsync($"/api/v1/campaigns/{key}/audience", """
            {"entries":[{"profile_id":"ok-1"},{"profile_id":"  "},{"profile_id":"ok-2","entered_at":"yesterday"},{"entered_at":"2026-01-01T00:00:00Z"},7]}
            """);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["entries[1].profile_id", "entries[2].entered_at", "entries[3].profile_id", "entries[4]"], (await bad.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0, await AudienceSizeAsync(client, key));
        Assert.False(await Factory.QueryAsync(db => db.Profiles.AnyAsync(p => p.ExternalId == "ok-1")));

        var tooMany = string.Join(',', Enumerable.Range(0, CampaignRules.MaxAudienceImport + 1).Select(i => $$"""{"profile_id":"p{{i}}"}"""));
        using var large = await client.PostJsonAsync($"/api/v1/campaigns/{key}/audience", $$"""{"entries":[{{tooMany}}]}""");
        Assert.Equal(["entries"], await large.ErrorFieldsAsync());
        using var shape = await client.PostJsonAsync($"/api/v1/campaigns/{key}/audience", """[{"profile_id":"p"}]""");
        Assert.Equal(["entries"], await shape.ErrorFieldsAsync());
    }

    [Fact]
    public async Task AudienceImport_Is202_Idempotent_AndTheEarlierEntryWins()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("idem");
        var (known, fresh) = (HttpJson.Unique("known"), HttpJson.Unique("fresh"));
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":"Idempotent","key":"{{key}}","channel":"email"}""");
        await client.PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{known}}","name":"pageview","path":"/","timestamp":"2026-02-10T00:00:00Z","campaign":"{{key}}"}""");

        var import = $$"""{"entries":[{"profile_id":"{{known}}","entered_at":"2026-02-15T00:00:00Z"},{"profile_id":"{{fresh}}","entered_at":"2026-02-12T08:00:00+02:00"}]}""";
        using var accepted = await client.PostJsonAsync($"/api/v1/campaigns/{key}/audience", import);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, (int)(await accepted.JsonAsync())["accepted"]!);
        var once = await EntriesAsync(key);

        await client.PostOkAsync($"/api/v1/campaigns/{key}/audience", import);
        Assert.Equal(once, await EntriesAsync(key));
        Assert.Equal(2, await AudienceSizeAsync(client, key));
        // The event (10 Feb) is earlier than the import (15 Feb); an unknown profile is created and enters at the imported time.
        Assert.Equal(DateTimeOffset.Parse("2026-02-10T00:00:00Z").ToUnixTimeMilliseconds(), once[known]);
        Assert.Equal(DateTimeOffset.Parse("2026-02-12T06:00:00Z").ToUnixTimeMilliseconds(), once[fresh]);

        // An earlier imported time moves the entry earlier.
        await client.PostOkAsync($"/api/v1/campaigns/{key}/audience", $$"""{"entries":[{"profile_id":"{{known}}","entered_at":"2026-02-01T00:00:00Z"}]}""");
        Assert.Equal(DateTimeOffset.Parse("2026-02-01T00:00:00Z").ToUnixTimeMilliseconds(), (await EntriesAsync(key))[known]);
    }

    /// <summary>
    /// Hand-worked attribution (docs/analytics.md): four audience members — A enters by event on 10 May and
    /// completed on 5 May (before entry: not attributed); B is imported on 8 May and completes on
    /// 12 May (attributed); C enters by event on 11 May and never completes; D is imported on
    /// 25 May, after the period's last day (not in the audience of the period). E completes without
    /// being in the audience. Period 1–20 May: audience 3, attributed completions 1, rate 33.3 %.
    /// </summary>
    [Fact]
    public async Task Attribution_CountsCompletionsAtOrAfterEntry_OverTheAudienceSize()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("attr");
        var goalEvent = HttpJson.Unique("attr_done");
        var p = Enumerable.Range(0, 5).Select(i => HttpJson.Unique($"att{i}")).ToArray();
        using var goalResponse = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique("Attributed")}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{goalEvent}}"}]}]}""");
        var goalId = Guid.Parse((string)(await goalResponse.JsonAsync())["id"]!);
        await client.PostOkAsync("/api/v1/campaigns", $$"""{"name":"Attribution","key":"{{key}}","channel":"email","starts_on":"2026-05-01"}""");
        await client.PostOkAsync("/api/v1/events", $$"""
            [{"profile_id":"{{p[0]}}","name":"{{goalEvent}}","timestamp":"2026-05-05T10:00:00Z"},
             {"profile_id":"{{p[0]}}","name":"pageview","path":"/","timestamp":"2026-05-10T10:00:00Z","campaign":"{{key}}"},
             {"profile_id":"{{p[1]}}","name":"pageview","path":"/","timestamp":"2026-05-06T10:00:00Z"},
             {"profile_id":"{{p[1]}}","name":"{{goalEvent}}","timestamp":"2026-05-12T10:00:00Z"},
             {"profile_id":"{{p[2]}}","name":"pageview","path":"/","timestamp":"2026-05-11T10:00:00Z","campaign":"{{key}}"},
             {"profile_id":"{{p[3]}}","name":"{{goalEvent}}","timestamp":"2026-05-15T10:00:00Z"},
             {"profile_id":"{{p[4]}}","name":"{{goalEvent}}","timestamp":"2026-05-16T10:00:00Z"}]
            """);
        await client.PostOkAsync($"/api/v1/campaigns/{key}/audience",
            $$"""{"entries":[{"profile_id":"{{p[1]}}","entered_at":"2026-05-08T00:00:00Z"},{"profile_id":"{{p[3]}}","entered_at":"2026-05-25T00:00:00Z"}]}""");
        await SettleAsync();
        var campaign = (await Campaigns.GetAsync(key))!;
        await Campaigns.SetLinkAsync(goalId, campaign.Id, linked: true);

        var query = new AnalyticsQuery(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 20));
        // Attribution is the goal's figures with the campaign as the filter: the same query layer as every page.
        var attributed = query with { Filters = new AnalyticsFilters(Campaign: key) };
        var goal = Assert.Single(await Analytics.CompareAsync((await Campaigns.LinkedGoalsAsync(campaign.Id)).Select(g => g.Id).ToList(), attributed));
        Assert.Equal(3, goal.Denominator);
        Assert.Equal(1, goal.Completions);
        Assert.Equal(100.0 / 3, goal.CompletionRate, 9);

        // The stats API with the campaign filter and the campaign breakdown say the same.
        var stats = await (await client.GetAsync($"/api/v1/goals/{goalId}/stats?from=2026-05-01&to=2026-05-20&campaign={key}")).JsonAsync();
        Assert.Equal(1, (int)stats["completions"]!);
        Assert.Equal(3, (int)stats["denominator"]!);
        Assert.Equal(100.0 / 3, (double)stats["completion_rate"]!, 9);
        var all = await (await client.GetAsync($"/api/v1/goals/{goalId}/stats?from=2026-05-01&to=2026-05-20")).JsonAsync();
        Assert.Equal(4, (int)all["completions"]!);
        var row = all["breakdowns"]!["campaign"]!.AsArray().Single(r => (string?)r!["value"] == key)!;
        Assert.Equal(1, (int)row["completions"]!);
        Assert.Equal(3, (int)row["denominator"]!);

        // By 31 May D has entered too, and D completed before entering: still one attributed completion, of four.
        var may = (await Analytics.CompareAsync([goalId], attributed with { To = new DateOnly(2026, 5, 31) }))[0];
        Assert.Equal((4, 1), (may.Denominator, may.Completions));

        // The list shows the campaign's linked goal with its attributed rate since the campaign started.
        var listed = (await Campaigns.ListAsync()).Single(c => c.Campaign.Key == key);
        Assert.Equal(new DateOnly(2026, 5, 1), listed.From);
        Assert.Equal(goalId, Assert.Single(listed.Goals).GoalId);
        Assert.Equal(1, listed.Goals[0].Completions);
    }

    [Fact]
    public async Task Linking_FromTheCampaignSide_ShowsOnTheGoal_AndUnlinks()
    {
        using var client = Factory.ApiClient();
        var key = HttpJson.Unique("link");
        using var goalResponse = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique("Linked")}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{HttpJson.Unique("e")}}"}]}]}""");
        var goalId = Guid.Parse((string)(await goalResponse.JsonAsync())["id"]!);
        using var created = await client.PostJsonAsync("/api/v1/campaigns", $$"""{"name":"Linking","key":"{{key}}","channel":"email"}""");
        var campaignId = (int)(await created.JsonAsync())["id"]!;

        await Campaigns.SetLinkAsync(goalId, campaignId, linked: true);
        await Campaigns.SetLinkAsync(goalId, campaignId, linked: true);
        Assert.Equal([key], (await (await client.GetAsync($"/api/v1/goals/{goalId}")).JsonAsync())["campaigns"]!.AsArray().Select(k => (string?)k));
        Assert.Equal([goalId.ToString()], (await (await client.GetAsync($"/api/v1/campaigns/{key}")).JsonAsync())["goals"]!.AsArray().Select(g => (string?)g));

        await Campaigns.SetLinkAsync(goalId, campaignId, linked: false);
        Assert.Empty((await (await client.GetAsync($"/api/v1/goals/{goalId}")).JsonAsync())["campaigns"]!.AsArray());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Campaigns.SetLinkAsync(Guid.NewGuid(), campaignId, true));
    }

    [Fact]
    public async Task LinkingInTheDashboard_GivesTheGoalANewETag_WithoutReEvaluatingIt()
    {
        using var client = Factory.ApiClient();
        using var goalResponse = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{HttpJson.Unique("Etag link")}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{HttpJson.Unique("e")}}"}]}]}""");
        var goalId = Guid.Parse((string)(await goalResponse.JsonAsync())["id"]!);
        var key = HttpJson.Unique("etag");
        using var created = await client.PostJsonAsync("/api/v1/campaigns", $$"""{"name":"ETag","key":"{{key}}","channel":"email"}""");
        var campaignId = (int)(await created.JsonAsync())["id"]!;
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Id == goalId)), g => !g.IsEvaluating);
        using var before = await client.GetAsync($"/api/v1/goals/{goalId}");
        var staleTag = before.Headers.ETag!.Tag;
        var body = await before.Content.ReadAsStringAsync();

        await Campaigns.SetLinkAsync(goalId, campaignId, linked: true);

        using var after = await client.GetAsync($"/api/v1/goals/{goalId}");
        Assert.NotEqual(staleTag, after.Headers.ETag!.Tag);
        var goal = await Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Id == goalId));
        Assert.False(goal.IsEvaluating, "a link is not part of the definition: the results stay current");
        // An integrator replacing the goal from what it read before the link is told, instead of dropping the link.
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/goals/{goalId}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(staleTag));
        using var conflict = await client.SendAsync(put);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal([key], (await (await client.GetAsync($"/api/v1/goals/{goalId}")).JsonAsync())["campaigns"]!.AsArray().Select(k => (string?)k));

        // Deleting the campaign drops the link: a new version again.
        var linkedTag = after.Headers.ETag!.Tag;
        await Campaigns.DeleteAsync(campaignId);
        using var deleted = await client.GetAsync($"/api/v1/goals/{goalId}");
        Assert.NotEqual(linkedTag, deleted.Headers.ETag!.Tag);
        Assert.Empty((await deleted.JsonAsync())["campaigns"]!.AsArray());
    }

    [Fact]
    public async Task ReadingNeedsGoalsRead_ChangingNeedsGoalsWrite()
    {
        using var reader = Factory.ApiClient(await Factory.CreateTokenAsync(false, ApiScopes.GoalsRead));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostJsonAsync("/api/v1/campaigns", """{"name":"x","key":"x","channel":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostJsonAsync("/api/v1/campaigns/x/audience", """{"entries":[]}""")).StatusCode);
        using var anonymous = Factory.ApiClient(token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/campaigns")).StatusCode);
    }
}
