using System.Net;
using System.Text;
using GoalsDashboard.Domain;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// What the API accepts (docs/api.md, "Input ranges"): every number has a range, every timestamp and query date a
/// format and bounds, every string is valid Unicode, every body is JSON; anything else is a 4xx naming the field,
/// never a 500. And values stored outside those ranges (by an older build, or by hand) still read without failing.
/// </summary>
public class InputRangeTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private const string Huge = "79228162514264337593543950335";

    private GoalsAppFactory Factory => fixture.Factory;

    private static string EventGoal(string name) =>
        $$"""{"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{name}}"}]}]}""";

    private async Task<string> CreateGoalAsync(string name)
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/goals", EventGoal(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.JsonAsync())["id"]!;
    }

    [Theory]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"purchase","revenue":{"amount":79228162514264337593543950335,"currency":"EUR"}}""", "revenue.amount")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"purchase","revenue":{"amount":1000000000000.01,"currency":"EUR"}}""", "revenue.amount")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"purchase","revenue":{"amount":-5,"currency":"EUR"}}""", "revenue.amount")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"purchase","revenue":{"amount":1e400,"currency":"EUR"}}""", "revenue.amount")]
    [InlineData("/api/v1/goals", """{"name":"huge default","type":"custom_event","default_value":79228162514264337593543950335,"groups":[{"conditions":[{"kind":"event","event_name":"x"}]}]}""", "default_value")]
    [InlineData("/api/v1/goals", """{"name":"negative default","type":"custom_event","default_value":-1,"groups":[{"conditions":[{"kind":"event","event_name":"x"}]}]}""", "default_value")]
    [InlineData("/api/v1/conversions", """{"goal":"huge value","profile_id":"p","value":79228162514264337593543950335}""", "value")]
    [InlineData("/api/v1/conversions", """{"goal":"negative value","profile_id":"p","value":-0.01}""", "value")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"a","timestamp":"2026-12-06"}""", "timestamp")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"a","timestamp":"12/06/2026"}""", "timestamp")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"a","timestamp":"0001-01-01T00:00:00Z"}""", "timestamp")]
    [InlineData("/api/v1/events", """{"profile_id":"p","name":"a","timestamp":"1969-12-31T23:59:59Z"}""", "timestamp")]
    [InlineData("/api/v1/conversions", """{"goal":"old one","profile_id":"p","timestamp":"2026-12-06"}""", "timestamp")]
    [InlineData("/api/v1/profiles/p/properties", """{"properties":{"plan":"pro"},"timestamp":"1900-01-01T00:00:00Z"}""", "timestamp")]
    public async Task OutOfRangeInput_Is422_NamingTheField(string url, string json, string field)
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync(url, json);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(field, await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task MatchValueOutOfRange_Is422_OnGoalValue()
    {
        var goal = await CreateGoalAsync(HttpJson.Unique("match-range"));
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync($"/api/v1/goals/{goal}/matches",
            $$"""{"visitor_identity":"p","goal_matched_at":"2026-01-01T00:00:00Z","goal_value":{{Huge}}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["goal_value"], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task AmountsAtTheLimits_AreAccepted()
    {
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("limits");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/api/v1/events",
            $$"""{"profile_id":"{{profile}}","name":"purchase","revenue":{"amount":1000000000000,"currency":"EUR"},"timestamp":"1970-01-01T00:00:00Z"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/api/v1/events",
            $$"""{"profile_id":"{{profile}}","name":"purchase","revenue":{"amount":0,"currency":"EUR"},"timestamp":"2026-03-01T10:00+02:00"}""")).StatusCode);
    }

    // SQLite's real numbers can hold what no decimal can; PostgreSQL's columns were only ever written range-checked.
    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task ValuesStoredOutOfRange_ReadWithout500()
    {
        // Rows as an older build could store them: a default value and conversion values beyond any decimal.
        var name = HttpJson.Unique("stored-huge");
        var id = await CreateGoalAsync(name);
        using var client = Factory.ApiClient();
        var profile = HttpJson.Unique("huge-p");
        await client.PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{profile}}","name":"{{name}}","timestamp":"2026-03-01T10:00:00Z"}""");
        await HttpJson.EventuallyAsync(() => Factory.QueryAsync(db => db.Completions.CountAsync(c => c.GoalId == Guid.Parse(id))), n => n == 1, "completed");
        await Factory.QueryAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE goals SET DefaultValue = 7.9228162514264338E+28 WHERE Id = {0}", id.ToUpperInvariant());
            var profileId = await db.Profiles.Where(p => p.ExternalId == profile).Select(p => p.Id).SingleAsync();
            for (var i = 0; i < 2; i++)
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO conversions (GoalId, ProfileId, Timestamp, Source, Value) VALUES ({0}, {1}, {2}, 2, 1.7E+308)",
                    id.ToUpperInvariant(), profileId, DateTimeOffset.Parse("2026-03-02T00:00:00Z").ToUnixTimeMilliseconds() + i); // one conversion per instant
            }
            return 0;
        });
        // Written behind the app's back: what it holds in memory is dropped, as after any change it did not see.
        Factory.Services.GetRequiredService<GoalsDashboard.Analytics.ResultIndex>().Reset();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/goals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/goals/{id}")).StatusCode);
        using var stats = await client.GetAsync($"/api/v1/goals/{id}/stats?from=2026-03-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        // The unreadable values count as no value; the rows still count as conversions.
        Assert.Equal(3, (int)(await stats.JsonAsync())["conversions"]!);
        using var patched = await client.PatchAsync($"/api/v1/goals/{id}", HttpJson.Json("""{"default_value":5}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }

    public static TheoryData<string, string> WriteEndpoints => new()
    {
        { "POST", "/api/v1/events" },
        { "POST", "/api/v1/profiles/p/properties" },
        { "POST", "/api/v1/conversions" },
        { "POST", "/api/v1/goals" },
        { "POST", "/api/v1/campaigns" },
        { "POST", "/api/v1/segments" },
        { "POST", "/api/v1/funnels" },
    };

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task LoneSurrogate_Is400_OnEveryWriteEndpoint(string method, string url)
    {
        using var client = Factory.ApiClient();
        // Escaped in the JSON text: valid JSON, but no valid Unicode string.
        const string body = """{"name":"bad \ud800 text","profile_id":"p","goal":"g","key":"k","channel":"c","properties":{"k":"\udfff"},"conditions":[],"steps":[]}""";
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = HttpJson.Json(body) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unicode", (string?)(await response.JsonAsync())["detail"]);
    }

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task NulCharacter_Is400_OnEveryWriteEndpoint_AndNothingIsStored(string method, string url)
    {
        using var client = Factory.ApiClient();
        var name = HttpJson.Unique("nul");
        var body = $$"""{"name":"{{name}}\u0000","profile_id":"{{name}}","goal":"g","key":"k","channel":"c","properties":{"k\u0000":"v"},"conditions":[],"steps":[]}""";
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = HttpJson.Json(body) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL", (string?)(await response.JsonAsync())["detail"]);
        Assert.False(await Factory.QueryAsync(db => db.Profiles.AnyAsync(p => p.ExternalId.StartsWith(name))));
    }

    [Fact]
    public async Task LoneSurrogateInAPropertyName_Is400()
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/events", """{"profile_id":"p","name":"a","properties":{"\ud800":"x"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task BodyThatIsNotDeclaredJson_Is415_AndNothingIsStored(string? contentType)
    {
        using var client = Factory.ApiClient();
        var marker = HttpJson.Unique("plain");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"profile_id":"{{marker}}","name":"a"}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        using var response = await client.PostAsync("/api/v1/events", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(await Factory.QueryAsync(db => db.Profiles.AnyAsync(p => p.ExternalId == marker)));
    }

    [Theory]
    [InlineData("from=0001-01-01&to=0001-01-02", "from")]
    [InlineData("from=9999-12-30&to=9999-12-31", "from")]
    [InlineData("to=0001-01-05", "to")]
    [InlineData("from=1970-01-01&to=9999-12-02", "to")]
    public async Task QueryDatesOutOfBounds_Are422_OnStatsFunnelStatsAndExports(string query, string field)
    {
        var goal = await CreateGoalAsync(HttpJson.Unique("dates"));
        using var client = Factory.ApiClient();
        using var stats = await client.GetAsync($"/api/v1/goals/{goal}/stats?{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stats.StatusCode);
        Assert.Contains(field, await stats.ErrorFieldsAsync());

        var other = await CreateGoalAsync(HttpJson.Unique("dates2"));
        using var funnel = await client.PostJsonAsync("/api/v1/funnels", $$"""{"name":"{{HttpJson.Unique("f")}}","steps":[{"goal_id":"{{goal}}"},{"goal_id":"{{other}}"}]}""");
        var funnelId = (int)(await funnel.JsonAsync())["id"]!;
        using var funnelStats = await client.GetAsync($"/api/v1/funnels/{funnelId}/stats?{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, funnelStats.StatusCode);

        using var admin = await Factory.SignedInClientAsync(GoalsAppFactory.AdminEmail, GoalsAppFactory.AdminPassword);
        using var export = await admin.GetAsync($"/exports/goals/{goal}/trend.csv?{query}");
        Assert.True(export.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"export answered {(int)export.StatusCode}");
        foreach (var page in new[] { $"/goals/{goal}?range=custom&{query}", $"/funnels/{funnelId}?range=custom&{query}" })
        {
            using var response = await admin.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Showing the last 30 days", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task CampaignDatesOutOfBounds_Are422()
    {
        using var client = Factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/campaigns",
            $$"""{"name":"Old","key":"{{HttpJson.Unique("old")}}","channel":"email","starts_on":"0001-01-01","ends_on":"9999-12-31"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["ends_on", "starts_on"], (await response.ErrorFieldsAsync()).Order());
    }

    [Fact]
    public void Money_ReadsStoredValuesBeyondTheRangeAsNone()
    {
        Assert.Null(Money.FromStored(double.PositiveInfinity));
        Assert.Null(Money.FromStored(double.NaN));
        Assert.Null(Money.FromStored(7.9228162514264338E+28));
        Assert.Equal(1e12m, Money.FromStored(1e12));
        Assert.Equal("The value can be at most 1,000,000,000,000.", Money.Check(1e12m + 0.01m, "The value"));
    }
}
