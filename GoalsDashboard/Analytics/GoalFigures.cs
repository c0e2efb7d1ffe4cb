using GoalsDashboard.Domain;
using GoalsDashboard.Data;

namespace GoalsDashboard.Analytics;

/// <summary>A campaign with its audience (profile → entry time, Unix ms).</summary>
public sealed record CampaignAudience(int Id, string Key, string Name, IReadOnlyDictionary<long, long> Members);

/// <summary>A segment with its current members.</summary>
public sealed record SegmentMembers(int Id, string Name, IReadOnlySet<long> Members);

/// <summary>What one goal's figures are computed from, read once per request.</summary>
public sealed record GoalFacts(Guid GoalId, string? Currency, List<CompletionFact> Completions, List<ConversionFact> Conversions);

/// <summary>
/// The figures of docs/analytics.md for one goal from its stored completions and conversions and the period's
/// activity: pure arithmetic, no database. Completions and conversions arrive already narrowed by the
/// site and channel filters; <see cref="ProfileScope"/> applies the segment and campaign filters.
/// </summary>
public static class GoalFigures
{
    public static GoalStats Compute(
        AnalyticsQuery query,
        Bucket[] buckets,
        Activity activity,
        ProfileScope scope,
        GoalFacts facts,
        IReadOnlyList<CampaignAudience>? campaigns,
        IReadOnlyList<SegmentMembers>? segments,
        IReadOnlyDictionary<string, string>? siteLabels = null)
    {
        string siteLabel(string? site) => site is null ? "(none)" : siteLabels?.GetValueOrDefault(site) ?? site;
        var endMs = buckets[^1].EndMs;
        var everyone = scope == ProfileScope.All;
        var completions = everyone ? facts.Completions : facts.Completions.Where(c => scope.Keeps(c.ProfileId, c.At)).ToList();
        var conversions = everyone ? facts.Conversions : facts.Conversions.Where(c => scope.Keeps(c.ProfileId, c.At)).ToList();

        var active = activity.Profiles.Count;
        var denominator = scope.IsCampaign ? scope.AudienceSize(endMs) : active;

        var valued = conversions.Select(c => c.Value is { } v ? Money.FromStored(v) : null).OfType<decimal>().ToList();
        var total = valued.Sum();
        var revenue = new RevenueStats(total, valued.Count == 0 ? null : total / valued.Count, valued.Count, facts.Currency);

        var timesToConvert = completions.Where(c => c.FirstSeenAt is not null).Select(c => (c.At - c.FirstSeenAt!.Value) / 1000.0).ToList();

        var trend = Trend(buckets, activity, scope, completions, conversions);
        var breakdowns = campaigns is null || segments is null
            ? GoalBreakdowns.Empty
            : new GoalBreakdowns(
                ByValue(completions, conversions, c => c.Channel, c => c.Channel, activity.ChannelCounts, v => v ?? "(none)"),
                ByValue(completions, conversions, c => c.Site, c => c.Site, activity.SiteCounts, siteLabel),
                ByCampaign(completions, conversions, campaigns, scope, endMs),
                BySegment(completions, conversions, segments, activity));

        return new GoalStats(facts.GoalId, query.From, query.To, completions.Count, conversions.Count, active, denominator,
            Rates.Of(completions.Count, denominator), revenue, Rates.Median(timesToConvert), trend, breakdowns);
    }

    private static List<TrendRow> Trend(Bucket[] buckets, Activity activity, ProfileScope scope, List<CompletionFact> completions, List<ConversionFact> conversions)
    {
        var completed = new int[buckets.Length];
        foreach (var c in completions)
        {
            var i = Buckets.IndexOf(buckets, c.At);
            if (i >= 0) completed[i]++;
        }
        var converted = new int[buckets.Length];
        foreach (var c in conversions)
        {
            var i = Buckets.IndexOf(buckets, c.At);
            if (i >= 0) converted[i]++;
        }
        return buckets.Select((b, i) =>
        {
            var active = activity.BucketCounts[i];
            var denominator = scope.IsCampaign ? scope.AudienceSize(b.EndMs) : active;
            return new TrendRow(b.Date, completed[i], converted[i], active, Rates.Of(completed[i], denominator));
        }).ToList();
    }

    private static List<BreakdownRow> ByValue(
        List<CompletionFact> completions, List<ConversionFact> conversions,
        Func<CompletionFact, string?> completionKey, Func<ConversionFact, string?> conversionKey,
        Dictionary<string, int> activeBy, Func<string?, string> label)
    {
        var completed = completions.CountBy(c => Activity.KeyOf(completionKey(c))).ToDictionary();
        var converted = conversions.CountBy(c => Activity.KeyOf(conversionKey(c))).ToDictionary();
        return completed.Keys.Union(converted.Keys).Union(activeBy.Keys)
            .Select(key =>
            {
                var denominator = activeBy.GetValueOrDefault(key);
                var c = completed.GetValueOrDefault(key);
                var value = Activity.ValueOf(key);
                return new BreakdownRow(value, label(value), c, converted.GetValueOrDefault(key), denominator, Rates.Of(c, denominator));
            })
            .Where(r => r.Completions > 0 || r.Conversions > 0 || r.Denominator > 0)
            .OrderByDescending(r => r.Completions).ThenByDescending(r => r.Denominator).ThenBy(r => r.Value, StringComparer.Ordinal)
            .ToList();
    }

    private static List<BreakdownRow> ByCampaign(List<CompletionFact> completions, List<ConversionFact> conversions,
        IReadOnlyList<CampaignAudience> campaigns, ProfileScope scope, long endMs) =>
        campaigns
            .Select(campaign =>
            {
                var members = campaign.Members;
                var attributed = completions.Count(c => members.TryGetValue(c.ProfileId, out var entered) && entered <= c.At);
                var converted = conversions.Count(c => members.TryGetValue(c.ProfileId, out var entered) && entered <= c.At);
                var audience = members.Count(m => m.Value < endMs && scope.Includes(m.Key));
                return new BreakdownRow(campaign.Key, campaign.Name, attributed, converted, audience, Rates.Of(attributed, audience));
            })
            .Where(r => r.Denominator > 0)
            .OrderByDescending(r => r.Completions).ThenBy(r => r.Value, StringComparer.Ordinal)
            .ToList();

    private static List<BreakdownRow> BySegment(List<CompletionFact> completions, List<ConversionFact> conversions,
        IReadOnlyList<SegmentMembers> segments, Activity activity) =>
        segments
            .Select(segment =>
            {
                var members = segment.Members;
                var completed = completions.Count(c => members.Contains(c.ProfileId));
                var converted = conversions.Count(c => members.Contains(c.ProfileId));
                var denominator = members.Count(activity.Profiles.Contains);
                return new BreakdownRow(segment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), segment.Name,
                    completed, converted, denominator, Rates.Of(completed, denominator));
            })
            .OrderByDescending(r => r.Completions).ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
}
