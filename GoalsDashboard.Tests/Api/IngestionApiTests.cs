using System.Net;
using System.Text;
using GoalsDashboard.Domain;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

public class IngestionApiTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private async Task<Guid> CreateGoalAsync(string json)
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/goals", json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((string)(await response.JsonAsync())["id"]!);
        // Wait for the goal's backfill so that only live evaluation is under test.
        await HttpJson.PollAsync(() => Factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Id == id)), g => !g.IsEvaluating);
        return id;
    }

    private Task<Completion?> CompletionAsync(Guid goalId, string profile) =>
        Factory.QueryAsync(db => db.Completions.AsNoTracking()
            .Where(c => c.GoalId == goalId && db.Profiles.Any(p => p.Id == c.ProfileId && p.ExternalId == profile)).FirstOrDefaultAsync());

    [Fact]
    public async Task Events_Returns202_WithAcceptedAndDuplicates_WithinAndAcrossBatches()
    {
        using var client = Factory.ApiClient();
        var id = HttpJson.Unique("dup");
        var body = $$"""[{"event_id":"{{id}}","profile_id":"p1","name":"a"},{"event_id":"{{id}}","profile_id":"p1","name":"b"},{"profile_id":"p1","name":"c"}]""";
        using var first = await client.PostJsonAsync("/api/v1/events", body);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var json = await first.JsonAsync();
        Assert.Equal((2, 1), ((int)json["accepted"]!, (int)json["duplicates"]!));

        var again = await (await client.PostJsonAsync("/api/v1/events", $$"""{"event_id":"{{id}}","profile_id":"p2","name":"z"}""")).JsonAsync();
        Assert.Equal((0, 1), ((int)again["accepted"]!, (int)again["duplicates"]!));
        // The first stored event wins, whatever the later payload.
        Assert.Equal("a", await Factory.QueryAsync(db => db.Events.Where(e => e.EventId == id).Select(e => e.Name).SingleAsync()));
    }

    [Fact]
    public async Task Batch_WithOneBadItem_Is422_NamingIndexAndField_AndStoresNothing()
    {
        using var client = Factory.ApiClient();
        var marker = HttpJson.Unique("atomic");
        var body = $$"""[{"profile_id":"{{marker}}","name":"ok"},{"profile_id":"{{marker}}","name":"bad","timestamp":"yesterday"}]""";
        using var response = await client.PostJsonAsync("/api/v1/events", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["[1].timestamp"], await response.ErrorFieldsAsync());
        Assert.False(await Factory.QueryAsync(db => db.Profiles.AnyAsync(p => p.ExternalId == marker)));
    }

    [Theory]
    [InlineData("""{"name":"a"}""", "profile_id")]
    [InlineData("""{"profile_id":"p","name":""}""", "name")]
    [InlineData("""{"profile_id":"p","name":"pageview"}""", "path")]
    [InlineData("""{"profile_id":"p","name":"buy","revenue":{"amount":5,"currency":"XXY"}}""", "revenue.currency")]
    [InlineData("""{"profile_id":"p","name":"a","properties":[1,2]}""", "properties")]
    public async Task InvalidEvent_Is422OnTheField(string json, string field)
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/events", json);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task EventIdOf201Characters_Is422_And200_IsAccepted()
    {
        using var client = Factory.ApiClient();
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await client.PostJsonAsync("/api/v1/events", $$"""{"event_id":"{{new string('x', 201)}}","profile_id":"p","name":"a"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await client.PostJsonAsync("/api/v1/events", $$"""{"event_id":"{{Guid.NewGuid():N}}{{new string('x', 168)}}","profile_id":"p","name":"a"}""")).StatusCode);
    }

    [Fact]
    public async Task MoreThan1000Events_Is422_AndOver5MB_Is413()
    {
        using var client = Factory.ApiClient();
        var batch = "[" + string.Join(",", Enumerable.Repeat("""{"profile_id":"p","name":"a"}""", 1001)) + "]";
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync("/api/v1/events", batch)).StatusCode);

        var properties = string.Join(",", Enumerable.Range(0, 5).Select(k => $"\"b{k}\":\"{new string('x', 1990)}\""));
        var big = "[" + string.Join(",", Enumerable.Range(0, 600).Select(_ => "{\"profile_id\":\"p\",\"name\":\"a\",\"properties\":{" + properties + "}}")) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(big) > 5 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostJsonAsync("/api/v1/events", big)).StatusCode);
    }

    [Fact]
    public async Task TimestampMoreThanAnHourAhead_Is422_OffsetsAreStoredAsUtc()
    {
        using var client = Factory.ApiClient();
        var future = Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(2).ToString("O");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"p","name":"a","timestamp":"{{future}}"}""")).StatusCode);

        var id = HttpJson.Unique("tz");
        await client.PostJsonAsync("/api/v1/events", $$"""{"event_id":"{{id}}","profile_id":"p","name":"a","timestamp":"2026-03-01T12:00:00+02:00"}""");
        var stored = await Factory.QueryAsync(db => db.Events.Where(e => e.EventId == id).Select(e => e.Timestamp).SingleAsync());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), stored);
    }

    [Fact]
    public async Task Event_CompletesTheGoalLive_AndALateEarlierEventMovesItEarlier()
    {
        var eventName = HttpJson.Unique("live");
        var goal = await CreateGoalAsync($$"""{"name":"{{eventName}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{eventName}}"}]}]}""");
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("prof");
        await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"{{eventName}}","timestamp":"2026-03-05T10:00:00Z","channel":"email"}""");
        var completion = await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c is not null);
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero), completion!.CompletedAt);
        Assert.Equal("email", completion.Channel);

        await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"{{eventName}}","timestamp":"2026-03-01T10:00:00Z","channel":"social"}""");
        completion = await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c!.Channel == "social");
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), completion!.CompletedAt);
        Assert.Equal(2, await Factory.QueryAsync(db => db.Conversions.CountAsync(c => c.GoalId == goal)));
    }

    [Fact]
    public async Task LateEventMatchingANegatedCondition_RemovesTheCompletion()
    {
        var name = HttpJson.Unique("neg");
        var goal = await CreateGoalAsync($$"""
            {"name":"{{name}}","type":"custom_event","groups":[{"conditions":[
              {"kind":"event","event_name":"{{name}}_signup"},{"kind":"event","event_name":"{{name}}_refund","negate":true}]}]}
            """);
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("prof");
        await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"{{name}}_signup","timestamp":"2026-03-05T10:00:00Z"}""");
        Assert.NotNull(await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c is not null));
        await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"{{name}}_refund","timestamp":"2026-03-01T10:00:00Z"}""");
        Assert.Null(await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c is null));
    }

    [Fact]
    public async Task PropertyChanges_CompleteAPropertyGoal_AndMoreThan50Keys_Is422()
    {
        var key = HttpJson.Unique("tier");
        var goal = await CreateGoalAsync($$"""{"name":"{{key}}","type":"property","groups":[{"conditions":[{"kind":"property","key":"{{key}}","operator":"greater_or_equal","value":"3"}]}]}""");
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("prof");
        await client.PostJsonAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"visit","timestamp":"2026-03-01T09:00:00Z","channel":"ads","site":"shop"}""");
        using var response = await client.PostJsonAsync($"/api/v1/profiles/{profile}/properties", $$"""{"properties":{"{{key}}":"3.0","other":true},"timestamp":"2026-03-02T09:00:00Z"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (int)(await response.JsonAsync())["accepted"]!);
        var completion = await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c is not null);
        Assert.Equal((new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), "ads", "shop"), (completion!.CompletedAt, completion.Channel, completion.Site));

        var tooMany = "{\"properties\":{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\":{i}")) + "}}";
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync($"/api/v1/profiles/{profile}/properties", tooMany)).StatusCode);
    }

    [Fact]
    public async Task Conversion_CreatesATrackedGoalByName_AndCompletesIt()
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("Demo booked");
        using var first = await client.PostJsonAsync("/api/v1/conversions", $$"""{"goal":"{{name}}","profile_id":"crm-1","value":250,"timestamp":"2026-03-01T10:00:00Z"}""");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var json = await first.JsonAsync();
        Assert.True((bool)json["goal_created"]!);
        var goalId = Guid.Parse((string)json["goal_id"]!);
        Assert.Equal(GoalType.Tracked, await Factory.QueryAsync(db => db.Goals.Where(g => g.Id == goalId).Select(g => g.Type).SingleAsync()));

        using var second = await client.PostJsonAsync("/api/v1/conversions", $$"""{"goal":"{{name.ToUpperInvariant()}}","profile_id":"crm-1"}""");
        Assert.False((bool)(await second.JsonAsync())["goal_created"]!);
        var completion = await HttpJson.PollAsync(() => CompletionAsync(goalId, "crm-1"), c => c is not null);
        Assert.Equal(250m, completion!.Value);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync("/api/v1/conversions", """{"profile_id":"x"}""")).StatusCode);
    }

    [Fact]
    public async Task Match_LinksToTheMostRecentEventBefore_Or404()
    {
        var goal = await CreateGoalAsync($$"""{"name":"{{HttpJson.Unique("Offline sale")}}","type":"tracked"}""");
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("visitor");
        await client.PostJsonAsync("/api/v1/events", $$"""
            [{"event_id":"{{profile}}-1","profile_id":"{{profile}}","name":"visit","timestamp":"2026-03-01T10:00:00Z","channel":"email","site":"shop"},
             {"event_id":"{{profile}}-2","profile_id":"{{profile}}","name":"visit","timestamp":"2026-03-03T10:00:00Z","channel":"ads","site":"shop"}]
            """);
        var url = $"/api/v1/goals/{goal}/matches";

        using var matched = await client.PostJsonAsync(url, $$"""{"visitor_identity":"{{profile}}","goal_matched_at":"2026-03-02T10:00:00Z","goal_value":99}""");
        Assert.Equal(HttpStatusCode.Created, matched.StatusCode);
        Assert.Equal($"{profile}-1", (string?)(await matched.JsonAsync())["linked_event_id"]);
        var completion = await HttpJson.PollAsync(() => CompletionAsync(goal, profile), c => c is not null);
        Assert.Equal(("email", 99m), (completion!.Channel, completion.Value));

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync(url, """{"visitor_identity":"nobody-ever","goal_matched_at":"2026-03-02T10:00:00Z"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync(url, $$"""{"visitor_identity":"{{profile}}","goal_matched_at":"2026-02-01T10:00:00Z"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync($"/api/v1/goals/{Guid.NewGuid()}/matches", $$"""{"visitor_identity":"{{profile}}","goal_matched_at":"2026-03-02T10:00:00Z"}""")).StatusCode);
    }

    [Fact]
    public async Task GoalScopes_CannotWriteEvents()
    {
        using var client = Factory.ApiClient(await Factory.CreateTokenAsync(false, ApiScopes.GoalsRead, ApiScopes.GoalsWrite));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/api/v1/events", """{"profile_id":"p","name":"a"}""")).StatusCode);
    }

    [Fact]
    public async Task TheSameConversionRecordedTwice_IsStoredOnce()
    {
        // A client that retries after a lost answer (an instance died) sends the same conversion again.
        using var client = Factory.ApiClient();
        const string body = """{"goal":"Retried purchase","profile_id":"retrier","timestamp":"2026-03-04T10:00:00Z","value":12.5}""";
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/conversions", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/conversions", body)).StatusCode);
        var goal = await Factory.QueryAsync(db => db.Goals.Where(g => g.Name == "Retried purchase").Select(g => g.Id).SingleAsync());
        Assert.Equal(1, await Factory.QueryAsync(db => db.Conversions.CountAsync(c => c.GoalId == goal && c.Source == ConversionSource.Api)));

        // Another instant is another conversion.
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/conversions", body.Replace("10:00:00Z", "10:00:01Z"))).StatusCode);
        Assert.Equal(2, await Factory.QueryAsync(db => db.Conversions.CountAsync(c => c.GoalId == goal && c.Source == ConversionSource.Api)));
    }
}

public class RateLimitTests
{
    [Fact]
    public async Task ATokenOverItsLimit_Gets429_WithRetryAfter()
    {
        await using var factory = new GoalsAppFactory(settings: new Dictionary<string, string> { ["Api:RequestsPerMinute"] = "60" });
        using var client = factory.ApiClient();
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add(await client.GetAsync("/api/v1/goals"));
        }
        var limited = statuses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter is not null);
        statuses.ForEach(r => r.Dispose());
    }
}
