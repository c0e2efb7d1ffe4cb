using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;

namespace GoalsDashboard.Api;

// The request bodies of /api/v1 as the OpenAPI document describes them (docs/api.md): field names, types, required
// fields, enums and limits. Handlers read the JSON themselves, so that every mistake is reported on its field at
// once; a test posts every example and checks the document against what the handlers accept.

public sealed class EventInput
{
    [Required, StringLength(Profile.MaxExternalIdLength, MinimumLength = 1)]
    public required string ProfileId { get; init; }

    [Required, StringLength(IngestionLimits.MaxNameLength, MinimumLength = 1), Description("pageview for a page view (then path is required).")]
    public required string Name { get; init; }

    [StringLength(IngestionLimits.MaxEventIdLength), Description("Your id for the event: a repeated one is skipped.")]
    public string? EventId { get; init; }

    [Description("ISO 8601, from 1970 to one hour ahead; the time of receipt when missing.")]
    public DateTimeOffset? Timestamp { get; init; }

    [StringLength(IngestionLimits.MaxSiteLength)]
    public string? Site { get; init; }

    [StringLength(IngestionLimits.MaxPathLength)]
    public string? Path { get; init; }

    [StringLength(IngestionLimits.MaxChannelLength)]
    public string? Channel { get; init; }

    [StringLength(IngestionLimits.MaxCampaignLength), Description("A campaign key.")]
    public string? Campaign { get; init; }

    [Description("Up to 50 keys; values are strings, numbers, booleans or null.")]
    public Dictionary<string, JsonNode?>? Properties { get; init; }

    public RevenueInput? Revenue { get; init; }
}

public sealed class RevenueInput
{
    [Required, Range(0, (double)Money.MaxAmount)]
    public required decimal Amount { get; init; }

    [Required, StringLength(3, MinimumLength = 3)]
    public required string Currency { get; init; }
}

public sealed class PropertiesInput
{
    [Required, Description("Up to 50 keys; values are strings, numbers, booleans or null.")]
    public required Dictionary<string, JsonNode?> Properties { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}

public sealed class ConversionInput
{
    [Required, StringLength(GoalRules.MaxNameLength, MinimumLength = 1), Description("The goal's name.")]
    public required string Goal { get; init; }

    [Required, StringLength(Profile.MaxExternalIdLength, MinimumLength = 1)]
    public required string ProfileId { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    [Range(0, (double)Money.MaxAmount)]
    public decimal? Value { get; init; }
}

public sealed class MatchInput
{
    [Required, StringLength(Profile.MaxExternalIdLength, MinimumLength = 1), Description("The profile id.")]
    public required string VisitorIdentity { get; init; }

    [Required]
    public required DateTimeOffset GoalMatchedAt { get; init; }

    [Range(0, (double)Money.MaxAmount)]
    public decimal? GoalValue { get; init; }

    public IReadOnlyList<string>? Sites { get; init; }
}

/// <summary>A goal to create or replace (PATCH takes any subset of these fields, as a JSON merge patch).</summary>
public sealed class GoalInput
{
    [StringLength(GoalRules.MaxNameLength), Description("Defaults to the event name or \"Visit /path\".")]
    public string? Name { get; init; }

    [GoalTypeValues, Description("Inferred from the conditions when missing.")]
    public string? Type { get; init; }

    [Required, MinLength(1), MaxLength(GoalRules.MaxGroups), Description("OR-ed groups of AND-ed conditions.")]
    public required IReadOnlyList<GroupInput> Groups { get; init; }

    [StringLength(GoalRules.MaxDescriptionLength)]
    public string? Description { get; init; }

    public WindowInput? Window { get; init; }

    public IReadOnlyList<string>? Sites { get; init; }

    [Description("Campaign keys to link.")]
    public IReadOnlyList<string>? Campaigns { get; init; }

    [StringLength(3, MinimumLength = 3), Description("ISO 4217; revenue goals only.")]
    public string? Currency { get; init; }

    [Range(0, (double)Money.MaxAmount)]
    public decimal? DefaultValue { get; init; }

    [Range(0, 100, MinimumIsExclusive = true), Description("Percent.")]
    public double? TargetRate { get; init; }

    [OneOf("active", "archived"), Description("PUT and PATCH only: archives or restores the goal.")]
    public string? Status { get; init; }
}

public sealed class GroupInput
{
    [Required, MinLength(1), MaxLength(GoalRules.MaxConditionsPerGroup)]
    public required IReadOnlyList<ConditionInput> Conditions { get; init; }
}

public sealed class ConditionInput
{
    [Required, OneOf("event", "pageview", "property")]
    public required string Kind { get; init; }

    [StringLength(GoalRules.MaxEventNameLength), Description("kind event.")]
    public string? EventName { get; init; }

    [StringLength(GoalRules.MaxPathLength), Description("kind pageview; * matches any text.")]
    public string? Path { get; init; }

    [StringLength(GoalRules.MaxKeyLength), Description("kind property.")]
    public string? Key { get; init; }

    [OperatorValues]
    public string? Operator { get; init; }

    [StringLength(GoalRules.MaxValueLength)]
    public string? Value { get; init; }

    public bool? Negate { get; init; }

    [MaxLength(GoalRules.MaxFilters), Description("Event property filters (kind event).")]
    public IReadOnlyList<FilterInput>? Filters { get; init; }
}

public sealed class FilterInput
{
    [Required, StringLength(GoalRules.MaxKeyLength, MinimumLength = 1)]
    public required string Key { get; init; }

    [Required, OperatorValues]
    public required string Operator { get; init; }

    [StringLength(GoalRules.MaxValueLength)]
    public string? Value { get; init; }
}

public sealed class WindowInput
{
    [Required, Range(1, GoalRules.MaxWindowAmount)]
    public required int Amount { get; init; }

    [OneOf("days", "hours")]
    public string? Unit { get; init; }

    [OneOf("first_seen", "event")]
    public string? Anchor { get; init; }

    [StringLength(GoalRules.MaxEventNameLength)]
    public string? AnchorEvent { get; init; }
}

public sealed class FunnelInput
{
    [Required, StringLength(FunnelRules.MaxNameLength, MinimumLength = 1)]
    public required string Name { get; init; }

    [Required, MinLength(Funnel.MinSteps), MaxLength(Funnel.MaxSteps)]
    public required IReadOnlyList<FunnelStepInput> Steps { get; init; }

    public FunnelWindowInput? Window { get; init; }
}

public sealed class FunnelStepInput
{
    [Required]
    public required Guid GoalId { get; init; }

    [Description("The longest time after the previous step.")]
    public FunnelWindowInput? Window { get; init; }
}

public sealed class FunnelWindowInput
{
    [Required, Range(1, FunnelRules.MaxWindowAmount)]
    public required int Amount { get; init; }

    [OneOf("days", "hours")]
    public string? Unit { get; init; }
}

public sealed class CampaignInput
{
    [Required, StringLength(CampaignRules.MaxNameLength, MinimumLength = 1)]
    public required string Name { get; init; }

    [Required, StringLength(CampaignRules.MaxKeyLength, MinimumLength = 1), Description("What events carry in their campaign field.")]
    public required string Key { get; init; }

    [Required, StringLength(CampaignRules.MaxChannelLength, MinimumLength = 1)]
    public required string Channel { get; init; }

    public DateOnly? StartsOn { get; init; }

    public DateOnly? EndsOn { get; init; }
}

public sealed class AudienceInput
{
    [Required, MinLength(1), MaxLength(CampaignRules.MaxAudienceImport)]
    public required IReadOnlyList<AudienceEntryInput> Entries { get; init; }
}

public sealed class AudienceEntryInput
{
    [Required, StringLength(Profile.MaxExternalIdLength, MinimumLength = 1)]
    public required string ProfileId { get; init; }

    [Description("When the profile entered the audience; now when missing.")]
    public DateTimeOffset? EnteredAt { get; init; }
}

public sealed class AnnotationInput
{
    [Required, Description("The day, in the workspace's time zone; within 20 years of today.")]
    public required DateOnly Date { get; init; }

    [Required, StringLength(GoalsDashboard.Domain.Annotation.MaxTextLength, MinimumLength = 1), Description("Trimmed.")]
    public required string Text { get; init; }
}

public sealed class SegmentInput
{
    [Required, StringLength(SegmentRules.MaxNameLength, MinimumLength = 1)]
    public required string Name { get; init; }

    [Required, MinLength(1), MaxLength(SegmentRules.MaxConditions), Description("AND-ed.")]
    public required IReadOnlyList<SegmentConditionInput> Conditions { get; init; }
}

public sealed class SegmentConditionInput
{
    [Required, OneOf("property", "first_channel", "first_site")]
    public required string Kind { get; init; }

    [StringLength(GoalRules.MaxKeyLength), Description("kind property.")]
    public string? Key { get; init; }

    [Required, SegmentOperatorValues]
    public required string Operator { get; init; }

    [StringLength(GoalRules.MaxValueLength), Description("What the operator compares with; not for exists, not_exists and one_of.")]
    public string? Value { get; init; }

    public bool? Negate { get; init; }

    [MaxLength(SegmentRules.MaxValues), Description("one_of's values: the condition holds when the profile's value equals any of them.")]
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>A JSON merge patch of a goal: any of <see cref="GoalInput"/>'s fields; null removes an optional one.</summary>
public sealed class GoalPatchInput
{
    [StringLength(GoalRules.MaxNameLength)]
    public string? Name { get; init; }

    [GoalTypeValues]
    public string? Type { get; init; }

    [MaxLength(GoalRules.MaxGroups)]
    public IReadOnlyList<GroupInput>? Groups { get; init; }

    [StringLength(GoalRules.MaxDescriptionLength)]
    public string? Description { get; init; }

    public WindowInput? Window { get; init; }

    public IReadOnlyList<string>? Sites { get; init; }

    public IReadOnlyList<string>? Campaigns { get; init; }

    [StringLength(3, MinimumLength = 3)]
    public string? Currency { get; init; }

    [Range(0, (double)Money.MaxAmount)]
    public decimal? DefaultValue { get; init; }

    [Range(0, 100, MinimumIsExclusive = true)]
    public double? TargetRate { get; init; }

    [OneOf("active", "archived")]
    public string? Status { get; init; }
}
