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
        ("get", "/api/v1/goals/{id}/history"), ("get", "/api/v1/funnels/{id}/history"), ("get", "/api/v1/campaigns/{key}/history"),
        ("get", "/api/v1/segments/{id}/history"),
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

    [Theory]
    [InlineData("v1")]
    [InlineData("plugins")]
    public async Task EveryOperation_HasAnId_EverySuccessWithABody_HasASchema_AndEveryRequestBody_ASchemaAndAnExample(string name)
    {
        var document = (await fixture.Factory.ContractAsync(name)).Document;
        var ids = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var operationName = $"{method.ToUpperInvariant()} {path}";
                var id = (string?)operation!["operationId"];
                Assert.False(string.IsNullOrEmpty(id), $"{operationName} has no operationId");
                ids.Add(id!);
                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    if (status.StartsWith('2') && status != "204")
                    {
                        Assert.True(response!["content"]?["application/json"]?["schema"] is not null, $"{operationName} answers {status} with no schema");
                    }
                }
                if (operation["requestBody"] is { } body)
                {
                    Assert.NotNull(body["content"]!["application/json"]!["schema"]);
                    Assert.NotNull(body["content"]!["application/json"]!["example"]);
                }
            }
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        if (name == "plugins")
        {
            Assert.Equal(5, ids.Count);
            Assert.Equal("basic", (string)document["components"]!["securitySchemes"]!["basic"]!["scheme"]!);
            return;
        }
        // The stats of a goal: every figure typed, not "200 OK" with no content.
        var stats = document["components"]!["schemas"]!["GoalStatsResponse"]!["properties"]!.AsObject();
        Assert.Contains("completion_rate", stats.Select(p => p.Key));
        Assert.Equal("#/components/schemas/GoalStatsResponse",
            (string)document["paths"]!["/api/v1/goals/{id}/stats"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("plugins")]
    public async Task EveryRequestExample_MatchesItsRequestSchema(string name)
    {
        var contract = await fixture.Factory.ContractAsync(name);
        var checkedExamples = 0;
        foreach (var (path, item) in contract.Document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["example"] is { } example)
                {
                    Assert.Null(contract.CheckRequest(method, path, example.ToJsonString()));
                    checkedExamples++;
                }
            }
        }
        Assert.True(checkedExamples >= (name == "v1" ? 12 : 2), $"only {checkedExamples} examples");
        // And the check has teeth: a body the schema does not allow is reported, naming the field.
        if (name == "v1")
        {
            Assert.Contains("/profile_id", contract.CheckRequest("post", "/api/v1/conversions", """{"goal":"Demo Booked","profile_id":42}"""));
        }
        else
        {
            Assert.NotNull(contract.CheckRequest("put", "/api/plugins/v1/goals", """{"goal_type":"Goal.Revenue","goal":{"event_name":"Purchase"}}"""));
            Assert.NotNull(contract.CheckRequest("put", "/api/plugins/v1/goals", """{"goals":[]}"""));
        }
    }

    [Fact]
    public async Task AnAnswerThatDoesNotMatchTheDocument_IsReported()
    {
        var contract = await fixture.Factory.ContractAsync();
        var id = Guid.NewGuid();
        Assert.Contains("does not match", contract.Check("GET", $"/api/v1/goals/{id}", HttpStatusCode.OK, "application/json", """{"id":"x"}"""));
        Assert.Contains("does not list", contract.Check("GET", $"/api/v1/goals/{id}", HttpStatusCode.Created, "application/json", "{}"));
        Assert.Contains("no such operation", contract.Check("GET", "/api/v1/nothing", HttpStatusCode.OK, "application/json", "{}"));

        var plugins = await fixture.Factory.ContractAsync("plugins");
        Assert.Null(plugins.Check("GET", "/api/plugins/v1/goals/3", HttpStatusCode.OK, "application/json",
            """{"goal_type":"Goal.Pageview","goal":{"id":3,"display_name":"Visit /a","path":"/a","custom_props":{}}}"""));
        Assert.Contains("does not match", plugins.Check("GET", "/api/plugins/v1/goals/3", HttpStatusCode.OK, "application/json",
            """{"goal_type":"Goal.Revenue","goal":{"id":3,"display_name":"Purchase","event_name":"Purchase","custom_props":{}}}"""));
    }

    [Fact]
    public void TheDocumentsEnums_AreTheDomainsWireNames()
    {
        // A goal's operators are every operator but one_of, which belongs to segments (docs/goals.md).
        var operators = Enum.GetValues<GoalsDashboard.Domain.Operator>().Select(GoalsDashboard.Domain.OperatorExtensions.ToWire).ToList();
        Assert.Equal(operators.Where(o => o != "one_of"), ApiEnums.Operators);
        Assert.Equal(operators.Order(StringComparer.Ordinal), new SegmentOperatorValuesAttribute().Values.Order(StringComparer.Ordinal));
        Assert.Equal(Enum.GetValues<GoalsDashboard.Domain.GoalType>().Select(GoalsDashboard.Domain.GoalTypeExtensions.ToWire), ApiEnums.GoalTypes);
    }
}

/// <summary>The document passes Redocly CLI's recommended rules (GoalsDashboard.Tests/redocly.yaml), installed by test.sh.</summary>
public class ApiLintTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    [Theory]
    [InlineData("v1")]
    [InlineData("plugins")]
    [Trait("Provider", "SqliteOnly")]
    public async Task TheDocument_PassesRedoclysRecommendedRules_WithNoErrorOrWarning(string name)
    {
        var folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "redocly.yaml")))
        {
            folder = Path.GetDirectoryName(folder);
        }
        Assert.True(folder is not null, "GoalsDashboard.Tests/redocly.yaml not found above the test binaries");
        var redocly = Path.Combine(folder!, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: run `npm ci --prefix GoalsDashboard.Tests` (./test.sh does).");
        var file = Path.Combine(Path.GetTempPath(), $"goalsdashboard-openapi-{Guid.NewGuid():N}.json");
        var document = (await fixture.Factory.ContractAsync(name)).Document.DeepClone();
        // The server is the host the document was read from: the test server's http://localhost is flagged by the
        // rules by design, so the document is linted as a deployment on a real host name serves it.
        Assert.Equal("http://localhost", (string)document["servers"]![0]!["url"]!);
        document["servers"]![0]!["url"] = "https://goals.acme-analytics.net";
        await File.WriteAllTextAsync(file, document.ToJsonString());
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(redocly, ["lint", file, "--config", Path.Combine(folder!, "redocly.yaml"), "--format=json"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var (text, log) = (await output, await errors);
            // Stdout is the report; stderr carries Redocly's own notices (Node.js versions, updates).
            var report = JsonNode.Parse(text[text.IndexOf('{')..])!;
            Assert.True((int)report["totals"]!["errors"]! == 0 && (int)report["totals"]!["warnings"]! == 0, text + log);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("2.77.0", (string)report["version"]!);
        }
        finally
        {
            File.Delete(file);
        }
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

        // The Plugins API's examples, as its clients send them (HTTP Basic, the token as the password).
        using var plugins = fixture.Factory.CheckedClient();
        plugins.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"example.com:{GoalsAppFactory.ApiToken}")));
        using var put = await plugins.PutAsync("/api/plugins/v1/goals", new StringContent(PluginExamples.Goals, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var numbers = (await put.JsonAsync())["goals"]!.AsArray().Select(g => (int)g!["goal"]!["id"]!).ToList();
        Assert.Equal(3, numbers.Count);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/plugins/v1/goals")
        {
            Content = new StringContent(PluginExamples.Delete.Replace("1, 2", $"{numbers[0]}, {numbers[1]}"), System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await plugins.SendAsync(delete)).StatusCode);
    }
}
