using System.Net;
using System.Text.Json.Nodes;
using GoalsDashboard.Api;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Api;

/// <summary>docs/api.md: "An OpenAPI document describes the whole API."</summary>
public class ApiDocumentTests(SeededAppFixture fixture) : IClassFixture<SeededAppFixture>
{
    // Every endpoint of docs/api.md, as (method, path template).
    private static readonly (string Method, string Path)[] Endpoints =
    [
        ("post", "/api/v1/events"), ("post", "/api/v1/profiles/{profile_id}/properties"), ("post", "/api/v1/conversions"),
        ("post", "/api/v1/goals/{id}/matches"),
        ("get", "/api/v1/goals"), ("post", "/api/v1/goals"), ("get", "/api/v1/goals/{id}"), ("put", "/api/v1/goals/{id}"),
        ("patch", "/api/v1/goals/{id}"), ("delete", "/api/v1/goals/{id}"), ("get", "/api/v1/goals/{id}/stats"),
        ("get", "/api/v1/campaigns"), ("post", "/api/v1/campaigns"), ("get", "/api/v1/campaigns/{key}"), ("put", "/api/v1/campaigns/{key}"),
        ("post", "/api/v1/campaigns/{key}/audience"),
        ("get", "/api/v1/segments"), ("post", "/api/v1/segments"), ("get", "/api/v1/segments/{id}"), ("put", "/api/v1/segments/{id}"),
        ("delete", "/api/v1/segments/{id}"),
        ("get", "/api/v1/funnels"), ("post", "/api/v1/funnels"), ("get", "/api/v1/funnels/{id}"), ("put", "/api/v1/funnels/{id}"),
        ("delete", "/api/v1/funnels/{id}"), ("get", "/api/v1/funnels/{id}/stats"),
    ];

    [Fact]
    public async Task TheDocument_IsPublic_AndDescribesEveryEndpoint_WithItsScopeAndStatuses()
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", (string)document["openapi"]!);
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["token"]!["scheme"]!);

        var paths = document["paths"]!.AsObject();
        foreach (var (method, path) in Endpoints)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation!["summary"]), $"{method} {path} has no summary");
            Assert.Contains("scope", (string)operation["description"]!);
            var statuses = operation["responses"]!.AsObject().Select(r => r.Key).ToList();
            Assert.Contains("401", statuses);
            Assert.Contains("403", statuses);
            Assert.Contains("429", statuses);
            Assert.Contains(statuses, s => s.StartsWith('2'));
            Assert.NotNull(operation["security"]);
        }
        // The dashboard's own routes (sign-in, CSV downloads for signed-in users) are not part of the public API.
        Assert.All(paths.Select(p => p.Key), p => Assert.StartsWith("/api/v1/", p));
        Assert.Contains("422", paths["/api/v1/events"]!["post"]!["responses"]!.AsObject().Select(r => r.Key));
        Assert.Contains("404", paths["/api/v1/goals/{id}/stats"]!["get"]!["responses"]!.AsObject().Select(r => r.Key));
        // Bodies are shown by example.
        Assert.Equal("p-42", (string)paths["/api/v1/events"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]![0]!["profile_id"]!);
        Assert.NotNull(paths["/api/v1/funnels"]!["post"]!["requestBody"]);
    }
}

/// <summary>The document's request examples are real requests: each one is accepted by its endpoint.</summary>
public class ApiExampleTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    [Fact]
    public async Task EveryExampleInTheDocument_IsAcceptedByItsEndpoint()
    {
        using var client = fixture.Factory.ApiClient();
        async Task<JsonNode> SendAsync(HttpMethod method, string url, string json, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}: {body}");
            return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
        }

        await SendAsync(HttpMethod.Post, "/api/v1/campaigns", ApiExamples.Campaign, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Put, "/api/v1/campaigns/spring-sale", ApiExamples.Campaign, HttpStatusCode.OK);
        var events = await SendAsync(HttpMethod.Post, "/api/v1/events", ApiExamples.Events, HttpStatusCode.Accepted);
        Assert.Equal(2, (int)events["accepted"]!);
        await SendAsync(HttpMethod.Post, "/api/v1/profiles/p-42/properties", ApiExamples.Properties, HttpStatusCode.Accepted);
        await SendAsync(HttpMethod.Post, "/api/v1/campaigns/spring-sale/audience", ApiExamples.Audience, HttpStatusCode.Accepted);
        var tracked = await SendAsync(HttpMethod.Post, "/api/v1/conversions", ApiExamples.Conversion, HttpStatusCode.Created);
        var trackedId = (string)tracked["goal_id"]!;
        await SendAsync(HttpMethod.Post, $"/api/v1/goals/{trackedId}/matches", ApiExamples.Match, HttpStatusCode.Created);

        var goal = await SendAsync(HttpMethod.Post, "/api/v1/goals", ApiExamples.Goal, HttpStatusCode.Created);
        var goalId = (string)goal["id"]!;
        await SendAsync(HttpMethod.Put, $"/api/v1/goals/{goalId}", ApiExamples.Goal, HttpStatusCode.OK);
        var patched = await SendAsync(HttpMethod.Patch, $"/api/v1/goals/{goalId}", ApiExamples.GoalPatch, HttpStatusCode.OK);
        Assert.Equal(7.5, (double)patched["target_rate"]!);

        var segment = await SendAsync(HttpMethod.Post, "/api/v1/segments", ApiExamples.Segment, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Put, $"/api/v1/segments/{(int)segment["id"]!}", ApiExamples.Segment, HttpStatusCode.OK);

        var funnelJson = ApiExamples.Funnel.Replace(ApiExamples.FirstGoalId, goalId).Replace(ApiExamples.SecondGoalId, trackedId);
        var funnel = await SendAsync(HttpMethod.Post, "/api/v1/funnels", funnelJson, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Put, $"/api/v1/funnels/{(int)funnel["id"]!}", funnelJson, HttpStatusCode.OK);
    }
}
