using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Api;

// The bodies of the Plausible-compatible Plugins API (docs/api.md, "Plausible Plugins API") as its OpenAPI document
// (/api/plugins/openapi.json) describes them. The handlers write upstream's shapes themselves (PluginGoal.ToJson);
// the Plugins API tests check every real answer against these schemas.

/// <summary>A goal as the Plugins API shows it: <c>goal_type</c> says which of the three shapes <c>goal</c> has.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "goal_type")]
[JsonDerivedType(typeof(PluginCustomEventGoal), "Goal.CustomEvent")]
[JsonDerivedType(typeof(PluginPageviewGoal), "Goal.Pageview")]
[JsonDerivedType(typeof(PluginRevenueGoal), "Goal.Revenue")]
public abstract class PluginGoalResponse;

public sealed class PluginCustomEventGoal : PluginGoalResponse
{
    public required PluginCustomEventBody Goal { get; init; }
}

public sealed class PluginPageviewGoal : PluginGoalResponse
{
    public required PluginPageviewBody Goal { get; init; }
}

public sealed class PluginRevenueGoal : PluginGoalResponse
{
    public required PluginRevenueBody Goal { get; init; }
}

public sealed class PluginCustomEventBody
{
    [Description("The goal's workspace-wide number.")]
    public required int Id { get; init; }

    public required string DisplayName { get; init; }

    public required string EventName { get; init; }

    [Description("Property filters: the event counts only with these values.")]
    public required Dictionary<string, string> CustomProps { get; init; }
}

public sealed class PluginPageviewBody
{
    public required int Id { get; init; }

    [Description("\"Visit \" and the path.")]
    public required string DisplayName { get; init; }

    public required string Path { get; init; }

    public required Dictionary<string, string> CustomProps { get; init; }
}

public sealed class PluginRevenueBody
{
    public required int Id { get; init; }

    public required string DisplayName { get; init; }

    public required string EventName { get; init; }

    [Description("ISO 4217.")]
    public required string Currency { get; init; }

    public required Dictionary<string, string> CustomProps { get; init; }
}

/// <summary>A page of goals, newest first, or the goals a PUT got or created (in request order, no further pages).</summary>
public sealed class PluginGoalList
{
    public required IReadOnlyList<PluginGoalResponse> Goals { get; init; }

    public required PluginMeta Meta { get; init; }
}

public sealed class PluginMeta
{
    public required PluginPagination Pagination { get; init; }
}

public sealed class PluginPagination
{
    public required bool HasNextPage { get; init; }

    public required bool HasPrevPage { get; init; }

    [Description("Absolute links to the next and previous pages, present only when there is one.")]
    public required PluginLinks Links { get; init; }
}

public sealed class PluginLinks
{
    public PluginLink? Next { get; init; }

    public PluginLink? Prev { get; init; }
}

public sealed class PluginLink
{
    public required string Url { get; init; }
}

/// <summary>Upstream's error shape: one entry per problem; schema errors point at the field.</summary>
public sealed class PluginErrors
{
    public required IReadOnlyList<PluginError> Errors { get; init; }
}

public sealed class PluginError
{
    public required string Detail { get; init; }

    public string? Title { get; init; }

    public PluginErrorSource? Source { get; init; }
}

public sealed class PluginErrorSource
{
    [Description("A JSON pointer into the request body.")]
    public required string Pointer { get; init; }
}

/// <summary>One goal to get or create: <c>goal_type</c> says which of the three shapes <c>goal</c> has.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "goal_type")]
[JsonDerivedType(typeof(PluginCustomEventInput), "Goal.CustomEvent")]
[JsonDerivedType(typeof(PluginPageviewInput), "Goal.Pageview")]
[JsonDerivedType(typeof(PluginRevenueInput), "Goal.Revenue")]
public abstract class PluginGoalInput;

public sealed class PluginCustomEventInput : PluginGoalInput
{
    public required PluginEventGoalInput Goal { get; init; }
}

public sealed class PluginPageviewInput : PluginGoalInput
{
    public required PluginPathGoalInput Goal { get; init; }
}

public sealed class PluginRevenueInput : PluginGoalInput
{
    public required PluginRevenueGoalInput Goal { get; init; }
}

public sealed class PluginEventGoalInput
{
    [StringLength(GoalRules.MaxEventNameLength, MinimumLength = 1)]
    public required string EventName { get; init; }

    [MaxLength(PluginsApi.MaxCustomProps), Description("Up to 3 property filters.")]
    public Dictionary<string, string>? CustomProps { get; init; }
}

public sealed class PluginPathGoalInput
{
    [StringLength(GoalRules.MaxPathLength, MinimumLength = 1)]
    public required string Path { get; init; }

    [Description("Up to 3 property filters.")]
    public Dictionary<string, string>? CustomProps { get; init; }
}

public sealed class PluginRevenueGoalInput
{
    [StringLength(GoalRules.MaxEventNameLength, MinimumLength = 1)]
    public required string EventName { get; init; }

    [StringLength(3, MinimumLength = 3), Description("ISO 4217.")]
    public required string Currency { get; init; }

    [Description("Up to 3 property filters.")]
    public Dictionary<string, string>? CustomProps { get; init; }
}

/// <summary>Goals to delete (archive), by number.</summary>
public sealed class PluginDeleteInput
{
    [MinLength(1)]
    public required IReadOnlyList<int> GoalIds { get; init; }
}

/// <summary>Request bodies as the Plugins API's document shows them (posted by its tests).</summary>
public static class PluginExamples
{
    public const string Goals = """
        { "goals": [ { "goal_type": "Goal.CustomEvent", "goal": { "event_name": "Signup", "custom_props": { "plan": "pro" } } },
                     { "goal_type": "Goal.Pageview", "goal": { "path": "/checkout" } },
                     { "goal_type": "Goal.Revenue", "goal": { "event_name": "Purchase", "currency": "EUR" } } ] }
        """;

    public const string Delete = """
        { "goal_ids": [ 1, 2 ] }
        """;
}
