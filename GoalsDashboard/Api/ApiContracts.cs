using System.ComponentModel;
using System.Globalization;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

// The bodies /api/v1 answers with (docs/api.md), serialized in snake_case. The OpenAPI document's schemas are made
// from these types, and the API tests check every real answer against them (Api/OpenApiDocumentTests).

/// <summary>A page of goals.</summary>
public sealed record GoalPage(IReadOnlyList<GoalResponse> Results, int Total, string? Next, string? Previous);

/// <summary>Every figure of docs/analytics.md for one goal over one period and filters.</summary>
public sealed record GoalStatsResponse(
    Guid GoalId,
    [property: Description("First day of the period, in the workspace's time zone (yyyy-MM-dd).")] string From,
    [property: Description("Last day of the period, included (yyyy-MM-dd).")] string To,
    [property: Description("Profiles whose first completion ever falls in the period.")] int Completions,
    [property: Description("Every conversion in the period (a profile can convert several times).")] int Conversions,
    [property: Description("Profiles with at least one event in the period.")] int ActiveProfiles,
    [property: Description("The completion rate's denominator: active profiles, or the campaign's or segment's audience.")] int Denominator,
    [property: Description("Completions over the denominator, in percent.")] double CompletionRate,
    RevenueResponse Revenue,
    double? MedianTimeToConvertSeconds,
    IReadOnlyList<TrendPoint> Trend,
    BreakdownsResponse Breakdowns)
{
    public static GoalStatsResponse Of(GoalStats s) => new(
        s.GoalId, QueryText.Format(s.From), QueryText.Format(s.To), s.Completions, s.Conversions, s.ActiveProfiles, s.Denominator, s.CompletionRate,
        new RevenueResponse(s.Revenue.Total, s.Revenue.Average, s.Revenue.Currency, s.Revenue.ValuedConversions), s.MedianTimeToConvertSeconds,
        s.Trend.Select(t => new TrendPoint(QueryText.Format(t.Date), t.Completions, t.Conversions, t.ActiveProfiles, t.CompletionRate)).ToList(),
        new BreakdownsResponse(Rows(s.Breakdowns.Channel), Rows(s.Breakdowns.Site), Rows(s.Breakdowns.Campaign), Rows(s.Breakdowns.Segment)));

    private static IReadOnlyList<BreakdownResponse> Rows(IEnumerable<BreakdownRow> rows) =>
        rows.Select(r => new BreakdownResponse(r.Value, r.Label, r.Completions, r.Conversions, r.Denominator, r.CompletionRate)).ToList();
}

public sealed record RevenueResponse(decimal Total, decimal? Average, string? Currency, int ValuedConversions);

public sealed record TrendPoint(string Date, int Completions, int Conversions, int ActiveProfiles, double CompletionRate);

public sealed record BreakdownsResponse(
    IReadOnlyList<BreakdownResponse> Channel, IReadOnlyList<BreakdownResponse> Site, IReadOnlyList<BreakdownResponse> Campaign, IReadOnlyList<BreakdownResponse> Segment);

/// <summary>One row of a breakdown: <c>value</c> is the channel, site or campaign key (null for none) or the segment's id.</summary>
public sealed record BreakdownResponse(string? Value, string Label, int Completions, int Conversions, int Denominator, double CompletionRate);

/// <summary>One page of a goal's, funnel's, campaign's or segment's history (docs/history.md).</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryItemResponse> Results, int Total, string? Next, string? Previous);

public sealed record HistoryItemResponse(
    DateTimeOffset At,
    [property: Description("The user's name, or token:NAME for an API token.")] string Actor,
    [property: OneOf("created", "edited", "archived", "restored", "deleted", "campaign_linked", "campaign_unlinked")] string Action,
    IReadOnlyList<HistoryChange> Changes)
{
    public static HistoryItemResponse From(Data.HistoryEntry h) => new(DateTimeOffset.FromUnixTimeMilliseconds(h.At), h.Actor, h.Action,
        h.ReadChanges().Select(c => new HistoryChange(c.Field, c.Before, c.After)).ToList());
}

public sealed record HistoryChange(string Field, string? Before, string? After);

public sealed record FunnelResponse(int Id, string Name, IReadOnlyList<FunnelStepResponse> Steps, FunnelWindowContract? Window,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static FunnelResponse From(FunnelView v) => new(v.Funnel.Id, v.Funnel.Name,
        v.Steps.Select(s => new FunnelStepResponse(s.GoalId, s.GoalName, s.Status == GoalStatus.Active ? "active" : "archived", FunnelWindowContract.From(s.Window))).ToList(),
        FunnelWindowContract.From(v.Funnel.Window), v.Funnel.CreatedAt, v.Funnel.CreatedBy, v.Funnel.UpdatedAt, v.Funnel.UpdatedBy);
}

public sealed record FunnelStepResponse(Guid GoalId, string Name, [property: OneOf("active", "archived")] string Status, FunnelWindowContract? Window);

public sealed record FunnelWindowContract(int Amount, [property: OneOf("days", "hours")] string Unit)
{
    public static FunnelWindowContract? From(FunnelWindow? w) => w is null ? null : new(w.Amount, w.Unit == WindowUnit.Hours ? "hours" : "days");
}

public sealed record FunnelStatsResponse(int FunnelId, string From, string To, IReadOnlyList<FunnelStepStatsResponse> Steps,
    IReadOnlyList<FunnelSplitResponse> Splits, IReadOnlyList<FunnelTrendPoint> Trend)
{
    public static FunnelStatsResponse Of(FunnelStats s) => new(s.FunnelId, QueryText.Format(s.From), QueryText.Format(s.To), StepsOf(s.Steps),
        s.Splits.Select(x => new FunnelSplitResponse(x.Value, x.Label, StepsOf(x.Steps))).ToList(),
        s.Trend.Select(t => new FunnelTrendPoint(QueryText.Format(t.Date), t.Started, t.Finished, t.ConversionRate)).ToList());

    private static IReadOnlyList<FunnelStepStatsResponse> StepsOf(IEnumerable<FunnelStepStats> steps) => steps.Select(s =>
        new FunnelStepStatsResponse(s.GoalId, s.Name, s.Profiles, s.PercentOfPrevious, s.PercentOfFirst, s.DropOff, s.MedianSecondsFromPrevious)).ToList();
}

public sealed record FunnelStepStatsResponse(Guid GoalId, string Name, int Profiles, double PercentOfPrevious, double PercentOfFirst, int DropOff,
    double? MedianSecondsFromPrevious);

public sealed record FunnelSplitResponse(string? Value, string Label, IReadOnlyList<FunnelStepStatsResponse> Steps);

public sealed record FunnelTrendPoint(string Date, int Started, int Finished, double ConversionRate);

public sealed record CampaignResponse(int Id, string Name, string Key, string Channel,
    [property: Description("yyyy-MM-dd")] string? StartsOn, [property: Description("yyyy-MM-dd")] string? EndsOn,
    int AudienceSize, IReadOnlyList<Guid> Goals, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static CampaignResponse From(Campaign c, int audienceSize, IEnumerable<Guid> goals) => new(c.Id, c.Name, c.Key, c.Channel,
        c.StartsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        audienceSize, goals.ToList(), c.CreatedAt, c.CreatedBy, c.UpdatedAt, c.UpdatedBy);
}

public sealed record SegmentResponse(int Id, string Name, IReadOnlyList<SegmentConditionContract> Conditions, string Description, int Members,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static SegmentResponse From(SegmentListItem item) => new(item.Segment.Id, item.Segment.Name,
        item.Segment.Conditions.Select(SegmentConditionContract.From).ToList(), SegmentRules.Describe(item.Segment.Conditions), item.Members,
        item.Segment.CreatedAt, item.Segment.CreatedBy, item.Segment.UpdatedAt, item.Segment.UpdatedBy);
}

public sealed record AnnotationResponse(int Id, DateOnly Date, string Text, DateTimeOffset CreatedAt,
    [property: Description("The user, or token:NAME for an API token.")] string CreatedBy)
{
    public static AnnotationResponse From(Annotation a) => new(a.Id, a.Date, a.Text, a.CreatedAt, a.CreatedBy);
}

public sealed record SegmentConditionContract(
    [property: OneOf("property", "first_channel", "first_site")] string Kind,
    string? Key,
    [property: SegmentOperatorValues] string Operator,
    string? Value,
    bool Negate,
    [property: Description("The values of one_of (null for other operators).")] IReadOnlyList<string>? Values)
{
    public static SegmentConditionContract From(SegmentCondition c) => new(
        c.Field switch { SegmentField.FirstChannel => "first_channel", SegmentField.FirstSite => "first_site", _ => "property" },
        c.Key, c.Operator.ToWire(), c.Value, c.Negate, c.Values);
}

/// <summary>What an ingestion call stored.</summary>
public sealed record EventsAccepted(int Accepted, [property: Description("Events whose event_id was already stored: skipped.")] int Duplicates);

public sealed record AcceptedCount(int Accepted);

public sealed record ConversionResponse(Guid GoalId, string ProfileId, DateTimeOffset Timestamp,
    [property: Description("Whether this call created the tracked-conversion goal.")] bool GoalCreated);

public sealed record MatchResponse(Guid GoalId, string ProfileId, DateTimeOffset MatchedAt, [property: Description("The event_id of the profile's latest event before the match.")] string? LinkedEventId);

/// <summary>The wire values of the API's enumerations, for the document's <c>enum</c>s (a test checks them against the domain's).</summary>
public static class ApiEnums
{
    public static readonly string[] Operators =
        ["equals", "not_equals", "contains", "not_contains", "starts_with", "greater_than", "greater_or_equal", "less_than", "less_or_equal", "exists", "not_exists"];

    public static readonly string[] GoalTypes = ["custom_event", "pageview", "property", "combined", "revenue", "tracked"];
}

/// <summary>The values a string field takes: the document lists them as its <c>enum</c> (<see cref="ApiDocument"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public class OneOfAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values => values;
}

/// <summary>A property operator's wire name.</summary>
public sealed class OperatorValuesAttribute() : OneOfAttribute(ApiEnums.Operators);

/// <summary>A segment condition's operator: a goal's, and one_of.</summary>
public sealed class SegmentOperatorValuesAttribute() : OneOfAttribute([.. ApiEnums.Operators, "one_of"]);

/// <summary>A goal type's wire name.</summary>
public sealed class GoalTypeValuesAttribute() : OneOfAttribute(ApiEnums.GoalTypes);
