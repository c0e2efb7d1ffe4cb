using System.Net;
using System.Text.Json.Nodes;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Api;

/// <summary>Section 5: "An OpenAPI document describes the whole API."</summary>
public class ApiDocumentTests(SeededAppFixture fixture) : IClassFixture<SeededAppFixture>
{
    // Every endpoint of section 5, as (method, path template).
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
    }
}
