using System.Net;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Settings;

/// <summary>Settings → Sites and time zone: the chosen zone moves every analytics day boundary; site labels show in analytics.</summary>
public sealed class WorkspaceSettingsTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new() { Clock = new FixedClock() };
    private Guid _goal;

    private WorkspaceSettingsService Settings => _factory.Services.GetRequiredService<WorkspaceSettingsService>();

    private Workspace Workspace => _factory.Services.GetRequiredService<Workspace>();

    public async Task InitializeAsync()
    {
        using var client = _factory.ApiClient();
        using var goal = await client.PostJsonAsync("/api/v1/goals", """{"name":"Late signup","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"late_signup"}]}]}""");
        _goal = Guid.Parse((string)(await goal.JsonAsync())["id"]!);
        // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin (UTC+1).
        using var events = await client.PostJsonAsync("/api/v1/events", """
            [{"profile_id":"tz-1","name":"late_signup","timestamp":"2026-03-01T23:30:00Z","site":"shop.example.com"},
             {"profile_id":"tz-2","name":"pageview","path":"/","timestamp":"2026-03-01T12:00:00Z","site":"shop.example.com"},
             {"profile_id":"tz-2","name":"pageview","path":"/","timestamp":"2026-03-01T12:05:00Z","site":"blog.example.com"}]
            """);
        Assert.Equal(HttpStatusCode.Accepted, events.StatusCode);
        await HttpJson.PollAsync(() => _factory.QueryAsync(db => db.Completions.CountAsync()), n => n == 1);
    }

    private async Task<int[]> DailyCompletionsAsync()
    {
        using var client = _factory.ApiClient();
        var stats = await (await client.GetAsync($"/api/v1/goals/{_goal}/stats?from=2026-03-01&to=2026-03-02")).JsonAsync();
        return stats["trend"]!.AsArray().Select(r => (int)r!["completions"]!).ToArray();
    }

    [Fact]
    public async Task TheChosenTimeZone_MovesDayBoundaries_IsStored_AndCanGoBackToTheConfiguredOne()
    {
        Assert.Equal(new[] { 1, 0 }, await DailyCompletionsAsync());

        await Settings.SetTimeZoneAsync("Europe/Berlin");
        Assert.Equal("Europe/Berlin", Workspace.TimeZone.Id);
        Assert.Equal(new[] { 0, 1 }, await DailyCompletionsAsync());
        Assert.Equal("Europe/Berlin", await _factory.QueryAsync(db => db.WorkspaceSettings.Where(s => s.Key == WorkspaceSettingsService.TimeZoneKey).Select(s => s.Value).SingleAsync()));

        // What a restart does: read the stored choice again.
        await Settings.SetTimeZoneAsync(null);
        Assert.Equal(TimeZoneInfo.Utc.Id, Workspace.TimeZone.Id);
        Assert.False(Workspace.TimeZoneChosen);
        Assert.Equal(new[] { 1, 0 }, await DailyCompletionsAsync());
        await _factory.QueryAsync(async db =>
        {
            db.WorkspaceSettings.Add(new WorkspaceSetting { Key = WorkspaceSettingsService.TimeZoneKey, Value = "America/New_York" });
            return await db.SaveChangesAsync();
        });
        await Settings.LoadAsync();
        Assert.Equal("America/New_York", Workspace.TimeZone.Id);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Settings.SetTimeZoneAsync("Mars/Olympus_Mons"));
        Assert.Contains("time_zone", error.Errors.Keys);
        Assert.Equal("America/New_York", Workspace.TimeZone.Id);
        await Settings.SetTimeZoneAsync(null);
    }

    [Fact]
    public async Task Sites_ListEventCounts_AndALabelShowsInAnalytics()
    {
        var sites = await Settings.SitesAsync();
        Assert.Equal([("shop.example.com", 2L), ("blog.example.com", 1L)], sites.Select(s => (s.Key, s.Events)));

        await Settings.RenameSiteAsync("shop.example.com", "  Shop  ");
        Assert.Equal("Shop", (await Settings.SitesAsync()).Single(s => s.Key == "shop.example.com").Label);
        using var client = _factory.ApiClient();
        var stats = await (await client.GetAsync($"/api/v1/goals/{_goal}/stats?from=2026-03-01&to=2026-03-02")).JsonAsync();
        var row = stats["breakdowns"]!["site"]!.AsArray().Single(r => (string?)r!["value"] == "shop.example.com")!;
        Assert.Equal("Shop", (string?)row["label"]);
        Assert.Contains(("shop.example.com", "Shop"), (await _factory.Services.GetRequiredService<AnalyticsService>().FilterChoicesAsync()).Sites);

        await Settings.RenameSiteAsync("shop.example.com", "");
        Assert.Null((await Settings.SitesAsync()).Single(s => s.Key == "shop.example.com").Label);
        await Assert.ThrowsAsync<DomainValidationException>(() => Settings.RenameSiteAsync("shop.example.com", new string('x', 101)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Settings.RenameSiteAsync("nowhere.example.com", "x"));
    }

    [Fact]
    public async Task ASitesFirstSeen_IsItsEarliestEvent_WhateverOrderTheyArriveIn()
    {
        using var client = _factory.ApiClient();
        async Task PostAsync(string site, string at)
        {
            using var posted = await client.PostJsonAsync("/api/v1/events", $$"""[{"profile_id":"seen-1","name":"pageview","path":"/","timestamp":"{{at}}","site":"{{site}}"}]""");
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        async Task<DateTimeOffset> FirstSeenAsync(string site) => (await Settings.SitesAsync()).Single(s => s.Key == site).FirstSeenAt;

        await PostAsync("shop.example.com", "2026-03-09T10:00:00Z"); // later than its first: no change
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T12:00:00Z"), await FirstSeenAsync("shop.example.com"));
        await PostAsync("blog.example.com", "2026-02-20T08:00:00Z"); // earlier: moves it
        Assert.Equal(DateTimeOffset.Parse("2026-02-20T08:00:00Z"), await FirstSeenAsync("blog.example.com"));
        await PostAsync("blog.example.com", "2026-02-25T08:00:00Z");
        Assert.Equal(DateTimeOffset.Parse("2026-02-20T08:00:00Z"), await FirstSeenAsync("blog.example.com"));
        await PostAsync("new.example.com", "2026-03-03T09:30:00Z");
        Assert.Equal(DateTimeOffset.Parse("2026-03-03T09:30:00Z"), await FirstSeenAsync("new.example.com"));
    }

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();
}
