using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoalsDashboard.Tests.TestInfrastructure;

public static class HttpJson
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A name no other test uses: tests of one class share an app and its database.</summary>
    public static string Unique(string prefix, int length = 20) => $"{prefix}-{Guid.NewGuid():N}"[..length];

    /// <summary>Posts JSON and fails the test, with the answer, unless it succeeded.</summary>
    public static async Task PostOkAsync(this HttpClient client, string url, string json)
    {
        using var response = await client.PostJsonAsync(url, json);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    /// <summary>The field names of a problem-details <c>errors</c> map.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(this HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        return json["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];
    }

    /// <summary>Reads until <paramref name="until"/> holds, and fails the test with the last value read when it does not in time.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> until, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"After {timeoutMs} ms, still not {what}; last seen: {Describe(value)}");
            }
            await Task.Delay(50);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(20).Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Reads until <paramref name="until"/> holds; fails the test with the last value read when it does not in time.</summary>
    public static Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> until, int timeoutMs = 10_000) =>
        EventuallyAsync(read, until, "there", timeoutMs);
}
