using System.Net;
using GoalsDashboard.Analytics;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>The figures of docs/analytics.md on the hand-worked March 2026 data of <see cref="HandWorkedAnalyticsFixture"/>.</summary>
public class GoalStatsTests(HandWorkedAnalyticsFixture data) : IClassFixture<HandWorkedAnalyticsFixture>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);
    private static readonly DateOnly March31 = new(2026, 3, 31);

    private Task<GoalStats?> StatsAsync(Guid goal, AnalyticsFilters? filters = null, TrendInterval interval = TrendInterval.Day) =>
        data.Analytics.StatsAsync(goal, new AnalyticsQuery(March1, March31, interval, filters));

    [Fact]
    public async Task Headline_Figures_FollowTheDefinitions_InTheWorkspaceTimeZone()
    {
        var s = (await StatsAsync(data.Signup))!;
        // Completions: p1 (3 Mar), p2 (23:30Z on 1 Mar = 00:30 on 2 Mar in Berlin), p4 (21:30Z on 31 Mar = 23:30 in Berlin), p5 (10 Mar).
        Assert.Equal(4, s.Completions);
        // Conversions: one each, and p5's second signup.
        Assert.Equal(5, s.Conversions);
        // Active: p1, p2, p3 (23:30Z on 28 Feb is 1 Mar in Berlin), p4, p5; not p6 (February only).
        Assert.Equal(5, s.ActiveProfiles);
        Assert.Equal(5, s.Denominator);
        Assert.Equal(80.0, s.CompletionRate);
        // Every conversion is valued at the default value 10; not a revenue goal, so no currency.
        Assert.Equal(new RevenueStats(50m, 10m, 5, null), s.Revenue);
        // Seconds from first seen: p1 90,000, p2 82,800, p4 0, p5 0 → mean of the two middle values.
        Assert.Equal(41_400, s.MedianTimeToConvertSeconds);
    }

    [Fact]
    public async Task Revenue_CountsOnlyTheGoalsCurrency_AndAveragesOverValuedConversions()
    {
        var s = (await StatsAsync(data.Purchase))!;
        Assert.Equal((1, 3), (s.Completions, s.Conversions));
        // 40 + 60 EUR; the USD purchase converts but has no value (no default value).
        Assert.Equal(new RevenueStats(100m, 50m, 2, "EUR"), s.Revenue);
        Assert.Equal(20.0, s.CompletionRate);
    }

    [Fact]
    public async Task DailyTrend_HasEveryDay_BucketedAtLocalMidnight_IncludingTheShortDstDay()
    {
        var trend = (await StatsAsync(data.Signup))!.Trend;
        Assert.Equal(31, trend.Count);
        Assert.Equal(Enumerable.Range(0, 31).Select(d => March1.AddDays(d)), trend.Select(t => t.Date));
        Assert.Equal(new TrendRow(March1, 0, 0, 2, 0), trend[0]);                       // p2's and p3's page views
        Assert.Equal(new TrendRow(March1.AddDays(1), 1, 1, 2, 50), trend[1]);           // p2 completes; p1 and p2 active
        Assert.Equal(new TrendRow(new DateOnly(2026, 3, 29), 0, 0, 0, 0), trend[28]);   // the 23-hour day, present though empty
        Assert.Equal(new TrendRow(March31, 1, 1, 1, 100), trend[30]);                   // p4 at 23:30 local; its 00:30 page view is April
        Assert.Equal(4, trend.Sum(t => t.Completions));
    }

    [Fact]
    public async Task WeeklyAndMonthlyTrends_StartOnMondays_AndAreClippedToThePeriod()
    {
        var weeks = (await StatsAsync(data.Signup, interval: TrendInterval.Week))!.Trend;
        // 1 March 2026 is a Sunday: a one-day first week, then Monday-first weeks, then 30–31 March.
        Assert.Equal(new[] { 1, 2, 9, 16, 23, 30 }.Select(d => new DateOnly(2026, 3, d)), weeks.Select(w => w.Date));
        Assert.Equal(new[] { 0, 2, 1, 0, 0, 1 }, weeks.Select(w => w.Completions));
        Assert.Equal(new[] { 0, 2, 2, 0, 0, 1 }, weeks.Select(w => w.Conversions));

        var months = (await StatsAsync(data.Signup, interval: TrendInterval.Month))!.Trend;
        Assert.Equal(new TrendRow(March1, 4, 5, 5, 80), Assert.Single(months));
    }

    [Fact]
    public async Task ChannelBreakdown_CountsCompletionsByTheirChannel_OverActiveProfilesOnIt()
    {
        var channels = (await StatsAsync(data.Signup))!.Breakdowns.Channel;
        Assert.Equal(
            [
                new BreakdownRow("email", "email", 2, 3, 2, 100),
                new BreakdownRow("organic", "organic", 1, 1, 1, 100),
                new BreakdownRow("paid", "paid", 1, 1, 1, 100),
                new BreakdownRow(null, "(none)", 0, 0, 1, 0),   // p3's page view has no channel
            ], channels);
    }

    [Fact]
    public async Task SiteFilter_KeepsCompletionsAndDenominatorOnThatSite()
    {
        var s = (await StatsAsync(data.Signup, new AnalyticsFilters(Site: "a.com")))!;
        Assert.Equal((3, 4, 3, 100.0), (s.Completions, s.Conversions, s.Denominator, s.CompletionRate)); // p1, p4, p5
    }

    [Fact]
    public async Task CampaignFilter_KeepsAttributedCompletions_AndUsesTheAudienceAsDenominator()
    {
        var s = (await StatsAsync(data.Signup, new AnalyticsFilters(Campaign: "hw-spring")))!;
        // p1 entered on 2 Mar and completed on 3 Mar: attributed. p5 was imported on 11 Mar, after completing on
        // 10 Mar: not attributed, but its conversion on 12 Mar, after entry, counts.
        Assert.Equal((1, 2, 2, 50.0), (s.Completions, s.Conversions, s.Denominator, s.CompletionRate));

        var row = Assert.Single((await StatsAsync(data.Signup))!.Breakdowns.Campaign);
        Assert.Equal(new BreakdownRow("hw-spring", "HW Spring", 1, 2, 2, 50), row);
    }

    [Fact]
    public async Task SegmentFilterAndBreakdown_UseTheCurrentMembers()
    {
        var s = (await StatsAsync(data.Signup, new AnalyticsFilters(Segment: data.SegmentId)))!;
        Assert.Equal((2, 3, 2, 100.0), (s.Completions, s.Conversions, s.Denominator, s.CompletionRate)); // p1 and p5 have plan = pro

        var row = Assert.Single((await StatsAsync(data.Signup))!.Breakdowns.Segment);
        Assert.Equal(new BreakdownRow(data.SegmentId.ToString(), "HW plan pro", 2, 3, 2, 100), row);
    }

    [Fact]
    public async Task EmptyPeriod_IsAllZeros_WithNullAverageAndMedian()
    {
        var s = (await data.Analytics.StatsAsync(data.Signup, new AnalyticsQuery(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 5))))!;
        Assert.Equal((0, 0, 0, 0.0), (s.Completions, s.Conversions, s.Denominator, s.CompletionRate));
        Assert.Equal(new RevenueStats(0m, null, 0, null), s.Revenue);
        Assert.Null(s.MedianTimeToConvertSeconds);
        Assert.Equal(5, s.Trend.Count);
    }

    [Fact]
    public async Task Comparison_GivesEachGoalTheSameFiguresAsItsOwnStats()
    {
        var query = new AnalyticsQuery(March1, March31);
        var compared = await data.Analytics.CompareAsync([data.Purchase, data.Signup], query);
        Assert.Equal([data.Purchase, data.Signup], compared.Select(c => c.GoalId));
        var own = (await data.Analytics.StatsAsync(data.Signup, query))!;
        Assert.Equal((own.Completions, own.Conversions, own.Denominator, own.CompletionRate, own.MedianTimeToConvertSeconds),
            (compared[1].Completions, compared[1].Conversions, compared[1].Denominator, compared[1].CompletionRate, compared[1].MedianTimeToConvertSeconds));
        Assert.Equal(own.Trend, compared[1].Trend);
    }

    [Fact]
    public async Task Completions_ArePagedNewestFirst()
    {
        var (rows, total) = await data.Analytics.CompletionsAsync(data.Signup, new AnalyticsQuery(March1, March31), skip: 1, take: 2);
        Assert.Equal(4, total);
        Assert.Equal(["p5", "p1"], rows.Select(r => r.ProfileId)); // p4 (31 Mar) is first, then p5 (10 Mar), p1 (3 Mar), p2
    }

    [Fact]
    public async Task StatsApi_ReturnsTheServicesNumbers_InSection5Shape()
    {
        using var client = data.Factory.ApiClient();
        using var response = await client.GetAsync($"/api/v1/goals/{data.Signup}/stats?from=2026-03-01&to=2026-03-31&interval=week&channel=email");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        var service = (await StatsAsync(data.Signup, new AnalyticsFilters(Channel: "email"), TrendInterval.Week))!;

        Assert.Equal("2026-03-01", (string)json["from"]!);
        Assert.Equal("2026-03-31", (string)json["to"]!);
        Assert.Equal(service.Completions, (int)json["completions"]!);
        Assert.Equal(service.Conversions, (int)json["conversions"]!);
        Assert.Equal(service.ActiveProfiles, (int)json["active_profiles"]!);
        Assert.Equal(service.Denominator, (int)json["denominator"]!);
        Assert.Equal(service.CompletionRate, (double)json["completion_rate"]!);
        Assert.Equal(service.Revenue.Total, (decimal)json["revenue"]!["total"]!);
        Assert.Equal(service.MedianTimeToConvertSeconds, (double?)json["median_time_to_convert_seconds"]);
        Assert.Equal(service.Trend.Select(t => (t.Date.ToString("yyyy-MM-dd"), t.Completions, t.ActiveProfiles)),
            json["trend"]!.AsArray().Select(t => ((string)t!["date"]!, (int)t["completions"]!, (int)t["active_profiles"]!)));
        Assert.Equal(service.Breakdowns.Channel.Select(r => (r.Value, r.Completions, r.Denominator)),
            json["breakdowns"]!["channel"]!.AsArray().Select(r => ((string?)r!["value"], (int)r["completions"]!, (int)r["denominator"]!)));
        Assert.NotNull(json["breakdowns"]!["site"]);
        Assert.NotNull(json["breakdowns"]!["campaign"]);
        Assert.NotNull(json["breakdowns"]!["segment"]);
        // Email only: p1 and p5 completed; both active on email.
        Assert.Equal((2, 2), (service.Completions, service.Denominator));
    }

    [Theory]
    [InlineData("from=2026-03-31&to=2026-03-01", "from")]
    [InlineData("from=March&to=2026-03-01", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("interval=year", "interval")]
    [InlineData("campaign=no-such-campaign", "campaign")]
    [InlineData("segment=abc", "segment")]
    [InlineData("segment=99999", "segment")]
    [InlineData("from=2020-01-01&to=2026-03-01", "to")]
    public async Task StatsApi_BadQuery_Is422_NamingTheField(string query, string field)
    {
        using var client = data.Factory.ApiClient();
        using var response = await client.GetAsync($"/api/v1/goals/{data.Signup}/stats?{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([field], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task StatsApi_UnknownGoal404_NoToken401_WrongScope403()
    {
        using var client = data.Factory.ApiClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/goals/{Guid.NewGuid()}/stats")).StatusCode);
        using var anonymous = data.Factory.ApiClient(token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/goals/{data.Signup}/stats")).StatusCode);
        using var writer = data.Factory.ApiClient(await data.Factory.CreateTokenAsync(false, "events:write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync($"/api/v1/goals/{data.Signup}/stats")).StatusCode);
    }

    [Fact]
    public async Task CsvExports_RequireSignIn_AndCarryTheFiguresWithEscaping()
    {
        using var anonymous = data.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var refused = await anonymous.GetAsync($"/exports/goals/{data.Signup}/trend.csv");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        using var client = await data.Factory.SignedInClientAsync(GoalsAppFactory.AdminEmail, GoalsAppFactory.AdminPassword);
        var trend = await client.GetAsync($"/exports/goals/{data.Signup}/trend.csv?from=2026-03-01&to=2026-03-31&interval=month");
        Assert.Equal("text/csv", trend.Content.Headers.ContentType!.MediaType);
        var bytes = await trend.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["date,completions,conversions,active_profiles,completion_rate", "2026-03-01,4,5,5,80"], lines);
        // Named after the goal and the period.
        Assert.Matches(@"^goal-[a-z0-9-]+-trend-2026-03-01-to-2026-03-31\.csv$", trend.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var goalName = (await data.Factory.Services.GetRequiredService<GoalsDashboard.Services.GoalService>().GetAsync(data.Signup))!.Value.Goal.Name;
        Assert.Contains(string.Join('-', goalName.ToLowerInvariant().Split(' ')), trend.Content.Headers.ContentDisposition!.FileName!);

        var breakdowns = await client.GetStringAsync($"/exports/goals/{data.Signup}/breakdowns.csv?from=2026-03-01&to=2026-03-31");
        Assert.Contains("campaign,hw-spring,HW Spring,1,2,2,50", breakdowns);
        Assert.Contains("channel,,(none),0,0,1,0", breakdowns);

        var completions = await client.GetStringAsync($"/exports/goals/{data.Signup}/completions.csv?from=2026-03-01&to=2026-03-31");
        Assert.Contains("p4,2026-03-31T21:30:00.000Z,paid,a.com,10", completions);
        var unknown = await client.GetAsync($"/exports/goals/{Guid.NewGuid()}/completions.csv?from=2026-03-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var bad = await client.GetAsync($"/exports/goals/{data.Signup}/trend.csv?from=2026-04-01&to=2026-03-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }
}
