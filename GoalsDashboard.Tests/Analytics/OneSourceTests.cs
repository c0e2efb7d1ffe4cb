using System.Net;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>
/// One source for every figure: on a small hand-worked workspace, the goal list, the goal's page, the compare row,
/// the campaign list and page, the completions table, the wizard's preview and the stats API show the same
/// completions, conversions, rate and attributed rate for the same period.
/// </summary>
/// <remarks>
/// Today is 10 April 2026 (UTC); the last 30 days are 12 March – 10 April.
/// p1: pageview carrying the campaign 31 Mar, signup 1 Apr. p2: signup 2 Apr and 3 Apr. p3: pageview 5 Apr only.
/// p4: signup 1 Mar (before the period). p5: pageview carrying the campaign 4 Apr, signup 6 Apr.
/// Active in the period: p1, p2, p3, p5 = 4. Completions: p1, p2, p5 = 3; conversions 1 + 2 + 1 = 4; rate 3 / 4 = 75 %.
/// The campaign's audience: p1 (31 Mar), p5 (4 Apr) = 2; both completed after entering: 2 attributed completions,
/// 2 attributed conversions, rate 2 / 2 = 100 %.
/// </remarks>
public sealed class OneSourceTests : IAsyncLifetime
{
    private static readonly DateOnly From = new(2026, 3, 12);
    private static readonly DateOnly To = new(2026, 4, 10);

    private readonly GoalsAppFactory _factory = new() { Clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-04-10T12:00:00Z")) };
    private Guid _goal;

    private AnalyticsService Analytics => _factory.Services.GetRequiredService<AnalyticsService>();

    public async Task InitializeAsync()
    {
        using var client = _factory.ApiClient();
        await client.PostOkAsync("/api/v1/campaigns", """{"name":"Spring","key":"spring","channel":"email"}""");
        using var goal = await client.PostJsonAsync("/api/v1/goals",
            """{"name":"Signed up","type":"custom_event","default_value":10,"campaigns":["spring"],"groups":[{"conditions":[{"kind":"event","event_name":"signup"}]}]}""");
        Assert.Equal(HttpStatusCode.Created, goal.StatusCode);
        _goal = Guid.Parse((string)(await goal.JsonAsync())["id"]!);
        await client.PostOkAsync("/api/v1/events", """
            [{"profile_id":"p1","name":"pageview","path":"/","campaign":"spring","timestamp":"2026-03-31T09:00:00Z"},
             {"profile_id":"p1","name":"signup","timestamp":"2026-04-01T09:00:00Z"},
             {"profile_id":"p2","name":"signup","timestamp":"2026-04-02T09:00:00Z"},
             {"profile_id":"p2","name":"signup","timestamp":"2026-04-03T09:00:00Z"},
             {"profile_id":"p3","name":"pageview","path":"/","timestamp":"2026-04-05T09:00:00Z"},
             {"profile_id":"p4","name":"signup","timestamp":"2026-03-01T09:00:00Z"},
             {"profile_id":"p5","name":"pageview","path":"/","campaign":"spring","timestamp":"2026-04-04T09:00:00Z"},
             {"profile_id":"p5","name":"signup","timestamp":"2026-04-06T09:00:00Z"}]
            """);
        await _factory.WaitUntilEvaluatedAsync();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EveryPathShowsTheSameFigures()
    {
        var period = new AnalyticsQuery(From, To);
        var attributed = period with { Filters = new AnalyticsFilters(Campaign: "spring") };

        var listed = (await _factory.Services.GetRequiredService<GoalService>().ListAsync()).Single(g => g.Id == _goal);
        Assert.Equal((3, 4, 75.0), (listed.Completions, listed.Conversions, listed.CompletionRate));
        Assert.Equal(3, listed.DailyCompletions.Sum());

        var details = (await Analytics.StatsAsync(_goal, period))!;
        Assert.Equal((3, 4, 4, 75.0), (details.Completions, details.Conversions, details.Denominator, details.CompletionRate));
        var campaignRow = details.Breakdowns.Campaign.Single(r => r.Value == "spring");
        Assert.Equal((2, 2, 2, 100.0), (campaignRow.Completions, campaignRow.Conversions, campaignRow.Denominator, campaignRow.CompletionRate));

        var compared = Assert.Single(await Analytics.CompareAsync([_goal], period));
        Assert.Equal((3, 4, 75.0), (compared.Completions, compared.Conversions, compared.CompletionRate));

        var onCampaignPage = Assert.Single(await Analytics.CompareAsync([_goal], attributed));
        Assert.Equal((2, 2, 2, 100.0), (onCampaignPage.Completions, onCampaignPage.Conversions, onCampaignPage.Denominator, onCampaignPage.CompletionRate));
        var inCampaignList = Assert.Single(( await _factory.Services.GetRequiredService<CampaignService>().ListAsync()).Single(c => c.Campaign.Key == "spring").Goals);
        Assert.Equal((2, 2, 100.0), (inCampaignList.Completions, inCampaignList.Conversions, inCampaignList.Rate));

        var (_, total) = await Analytics.CompletionsAsync(_goal, period, 0, 10);
        Assert.Equal(3, total);

        var draft = GoalRules.Normalize(new GoalDraft
        {
            Name = "Signed up (draft)", Type = GoalType.CustomEvent,
            Groups = [new ConditionGroup([new Condition { Kind = ConditionKind.Event, EventName = "signup" }])],
        });
        var preview = await Analytics.PreviewAsync(draft);
        Assert.Equal((3, 4), (preview.Completions, preview.Denominator));

        using var client = _factory.ApiClient();
        var api = await (await client.GetAsync($"/api/v1/goals/{_goal}/stats?from=2026-03-12&to=2026-04-10")).JsonAsync();
        Assert.Equal((3, 4, 75.0), ((int)api["completions"]!, (int)api["conversions"]!, (double)api["completion_rate"]!));
        var apiDefault = await (await client.GetAsync($"/api/v1/goals/{_goal}/stats")).JsonAsync();
        Assert.Equal((3, 4, 75.0), ((int)apiDefault["completions"]!, (int)apiDefault["conversions"]!, (double)apiDefault["completion_rate"]!));
        var apiCampaign = await (await client.GetAsync($"/api/v1/goals/{_goal}/stats?from=2026-03-12&to=2026-04-10&campaign=spring")).JsonAsync();
        Assert.Equal((2, 2, 100.0), ((int)apiCampaign["completions"]!, (int)apiCampaign["conversions"]!, (double)apiCampaign["completion_rate"]!));
    }
}
