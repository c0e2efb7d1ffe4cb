using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoalsDashboard.Data.Changes;

/// <summary>
/// A change as the <c>changes</c> table holds it: small JSON that another process can turn back into a
/// <see cref="Change"/> (events by their id ranges, read from the events table; results whole).
/// </summary>
public static class ChangePayload
{
    /// <summary>Events with ids in these ranges (inclusive) were stored.</summary>
    public static string Events(IReadOnlyList<(long From, long To)> ranges, bool carriesCampaigns) =>
        new JsonObject
        {
            ["ranges"] = new JsonArray(ranges.Select(r => (JsonNode)new JsonArray(r.From, r.To)).ToArray()),
            ["campaigns"] = carriesCampaigns,
        }.ToJsonString();

    public static IReadOnlyList<(long From, long To)> EventRanges(string payload, out bool carriesCampaigns)
    {
        var json = JsonNode.Parse(payload)!;
        carriesCampaigns = json["campaigns"]?.GetValue<bool>() ?? false;
        return json["ranges"]!.AsArray().Select(r => (r![0]!.GetValue<long>(), r[1]!.GetValue<long>())).ToList();
    }

    public static string Results(IReadOnlyList<ResultChange> results) =>
        new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["g"] = r.GoalId,
            ["p"] = r.ProfileId,
            ["c"] = r.Completion is { } c ? Row(c.At, c.Site, c.Channel, c.Value) : null,
            ["v"] = new JsonArray(r.Conversions.Select(v => (JsonNode)Row(v.At, v.Site, v.Channel, v.Value)).ToArray()),
        }).ToArray()).ToJsonString();

    public static IReadOnlyList<ResultChange> ParseResults(string payload) =>
        JsonNode.Parse(payload)!.AsArray().Select(node =>
        {
            var profile = node!["p"]!.GetValue<long>();
            var completion = node["c"] is JsonArray c
                ? new CompletionFact(profile, c[0]!.GetValue<long>(), Text(c[2]), Text(c[1]), Number(c[3]), null)
                : (CompletionFact?)null;
            var conversions = node["v"]!.AsArray()
                .Select(v => new ConversionFact(profile, v![0]!.GetValue<long>(), Text(v[2]), Text(v[1]), Number(v[3]))).ToList();
            return new ResultChange(node["g"]!.GetValue<Guid>(), profile, completion, conversions);
        }).ToList();

    public static string Goals(IEnumerable<Guid> goals) => JsonSerializer.Serialize(new { goals = goals.ToArray() });

    public static IReadOnlyList<Guid> ParseGoals(string payload) =>
        JsonNode.Parse(payload)!["goals"]!.AsArray().Select(g => g!.GetValue<Guid>()).ToList();

    public static string Tables(IEnumerable<string> tables) => JsonSerializer.Serialize(new { tables = tables.ToArray() });

    public static IReadOnlyList<string> ParseTables(string payload) =>
        JsonNode.Parse(payload)!["tables"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();

    private static JsonArray Row(long at, string? site, string? channel, double? value) => new(at, site, channel, value);

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static double? Number(JsonNode? node) => node?.GetValue<double>();
}
