using System.Text.Json;
using System.Text.Json.Nodes;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Api;

public enum PluginGoalType { CustomEvent, Revenue, Pageview }

/// <summary>
/// A goal as the Plausible Plugins API shows it, or null for a goal it cannot show: only a goal that is one event
/// condition (equality filters allowed; with a currency a revenue goal) or one page-view condition, with no window
/// (docs/api.md, "Plausible Plugins API").
/// </summary>
public sealed record PluginGoal(int Id, PluginGoalType Type, string? EventName, string? Path, string? Currency, IReadOnlyList<(string Key, string Value)> CustomProps)
{
    /// <summary>Get-or-create finds a goal by this: its event name, or its path.</summary>
    public string Key => Type == PluginGoalType.Pageview ? "path:" + Path : "event:" + EventName;

    public string DisplayName => Type == PluginGoalType.Pageview ? "Visit " + Path : EventName!;

    public static PluginGoal? Of(Goal goal)
    {
        if (goal.Window is not null || goal.Groups is not [{ Conditions: [{ Negate: false } condition] }]
            || condition.Filters.Any(f => f.Operator != Operator.Equals || f.Value is null))
        {
            return null;
        }
        var props = condition.Filters.Select(f => (f.Key, f.Value!)).ToList();
        return (goal.Type, condition.Kind) switch
        {
            (GoalType.CustomEvent, ConditionKind.Event) => new PluginGoal(goal.Number, PluginGoalType.CustomEvent, condition.EventName, null, null, props),
            (GoalType.Revenue, ConditionKind.Event) => new PluginGoal(goal.Number, PluginGoalType.Revenue, condition.EventName, null, goal.Currency, props),
            (GoalType.PageView, ConditionKind.PageView) => new PluginGoal(goal.Number, PluginGoalType.Pageview, null, condition.Path, null, props),
            _ => null,
        };
    }

    public JsonObject ToJson()
    {
        var goal = new JsonObject { ["id"] = Id, ["display_name"] = DisplayName };
        if (Type == PluginGoalType.Pageview)
        {
            goal["path"] = Path;
        }
        else
        {
            goal["event_name"] = EventName;
        }
        if (Type == PluginGoalType.Revenue)
        {
            goal["currency"] = Currency;
        }
        var props = new JsonObject();
        foreach (var (key, value) in CustomProps)
        {
            props[key] = value;
        }
        goal["custom_props"] = props;
        return new JsonObject { ["goal_type"] = TypeName(Type), ["goal"] = goal };
    }

    public static string TypeName(PluginGoalType type) => type switch
    {
        PluginGoalType.CustomEvent => "Goal.CustomEvent",
        PluginGoalType.Revenue => "Goal.Revenue",
        _ => "Goal.Pageview",
    };
}

/// <summary>One goal of a PUT request, checked against the schema as it is read.</summary>
public sealed record PluginGoalRequest(PluginGoalType Type, string? Name, string? Path, string? Currency, IReadOnlyList<(string Key, string Value)> CustomProps)
{
    private const int MaxEventNameLength = 120;

    public string Key => Type == PluginGoalType.Pageview ? "path:" + Path : "event:" + Name;

    public string DisplayName => Type == PluginGoalType.Pageview ? "Visit " + Path : Name!;

    /// <summary>The goal's own validation, worded as upstream's (<c>field: message</c>), or null when it is valid.</summary>
    public string? Invalid()
    {
        if (Type == PluginGoalType.Pageview)
        {
            return Path!.Length <= 1 && Path != "/" ? "path: this field is required and must start with a /"
                : Path.Length > GoalRules.MaxPathLength ? $"path: should be at most {GoalRules.MaxPathLength} character(s)" : PropsInvalid();
        }
        if (Name!.Length == 0)
        {
            return "event_name: this field is required and cannot be blank";
        }
        if (Name.Length > MaxEventNameLength)
        {
            return $"event_name: should be at most {MaxEventNameLength} character(s)";
        }
        if (Name is "engagement" or "pageleave")
        {
            return $"event_name: The event name '{Name}' is reserved and cannot be used as a goal";
        }
        if (Type == PluginGoalType.Revenue && !Currencies.IsValid(Currency))
        {
            return "currency: is invalid";
        }
        return PropsInvalid();
    }

    private string? PropsInvalid() =>
        CustomProps.Any(p => p.Key.Length is < 1 or > GoalRules.MaxKeyLength) ? $"custom_props: key length is 1..{GoalRules.MaxKeyLength} characters"
        : CustomProps.Any(p => p.Value.Length is < 1 or > GoalRules.MaxValueLength) ? $"custom_props: value length is 1..{GoalRules.MaxValueLength} characters"
        : null;

    /// <summary>The native goal it creates.</summary>
    public GoalDraft Draft(string name)
    {
        var filters = CustomProps.Select(p => new PropertyFilter(p.Key, Operator.Equals, p.Value)).ToArray();
        var condition = Type == PluginGoalType.Pageview ? Condition.ForPageView(Path!, filters) : Condition.ForEvent(Name!, filters);
        return new GoalDraft
        {
            Name = name,
            Type = Type switch { PluginGoalType.Revenue => GoalType.Revenue, PluginGoalType.Pageview => GoalType.PageView, _ => GoalType.CustomEvent },
            Groups = [new ConditionGroup([condition])],
            Currency = Type == PluginGoalType.Revenue ? Currency : null,
        };
    }

    /// <summary>Reads <c>{goal_type, goal: {...}}</c>; what does not fit the schema goes to <paramref name="schema"/>.</summary>
    public static PluginGoalRequest? Parse(JsonObject item, string at, PluginSchemaErrors schema)
    {
        if (!item.ContainsKey("goal_type"))
        {
            schema.Add($"{at}/goal_type", "Missing field: goal_type");
            return null;
        }
        if (Text(item["goal_type"], $"{at}/goal_type", schema) is not { } typeName)
        {
            return null;
        }
        PluginGoalType? type = typeName switch
        {
            "Goal.CustomEvent" => PluginGoalType.CustomEvent,
            "Goal.Revenue" => PluginGoalType.Revenue,
            "Goal.Pageview" => PluginGoalType.Pageview,
            _ => null,
        };
        if (type is null)
        {
            schema.Add($"{at}/goal_type", "Invalid value for enum");
            return null;
        }
        if (!item.ContainsKey("goal"))
        {
            schema.Add($"{at}/goal", "Missing field: goal");
            return null;
        }
        if (item["goal"] is not JsonObject goal)
        {
            schema.Add($"{at}/goal", $"Invalid object. Got: {PluginsApi.Kind(item["goal"])}");
            return null;
        }
        var required = type == PluginGoalType.Pageview ? "path" : "event_name";
        if (!goal.ContainsKey(required))
        {
            schema.Add($"{at}/goal/{required}", $"Missing field: {required}");
            return null;
        }
        if (Text(goal[required], $"{at}/goal/{required}", schema) is not { } value)
        {
            return null;
        }
        string? currency = null;
        if (type == PluginGoalType.Revenue)
        {
            if (!goal.ContainsKey("currency"))
            {
                schema.Add($"{at}/goal/currency", "Missing field: currency");
                return null;
            }
            if ((currency = Text(goal["currency"], $"{at}/goal/currency", schema)) is null)
            {
                return null;
            }
        }
        var props = new List<(string, string)>();
        if (goal.ContainsKey("custom_props"))
        {
            if (goal["custom_props"] is not JsonObject custom)
            {
                schema.Add($"{at}/goal/custom_props", $"Invalid object. Got: {PluginsApi.Kind(goal["custom_props"])}");
                return null;
            }
            if (custom.Count > PluginsApi.MaxCustomProps)
            {
                schema.Add($"{at}/goal/custom_props", $"Object property count {custom.Count} is greater than maxProperties: {PluginsApi.MaxCustomProps}");
                return null;
            }
            foreach (var (key, node) in custom)
            {
                if (Text(node, $"{at}/goal/custom_props/{key}", schema) is not { } propValue)
                {
                    return null;
                }
                props.Add((key, propValue));
            }
        }
        var trimmed = value.Trim();
        return type == PluginGoalType.Pageview
            ? new PluginGoalRequest(type.Value, null, trimmed.StartsWith('/') ? trimmed : "/" + trimmed, null, props)
            : new PluginGoalRequest(type.Value, trimmed, null, currency?.Trim(), props);
    }

    private static string? Text(JsonNode? node, string pointer, PluginSchemaErrors schema)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        schema.Add(pointer, node is null ? "null value where string expected" : $"Invalid string. Got: {PluginsApi.Kind(node)}");
        return null;
    }
}

/// <summary>Schema errors as upstream's OpenAPI validation words them: 422 with <c>{title, source: {pointer}, detail}</c> entries.</summary>
public sealed class PluginSchemaErrors
{
    private readonly JsonArray _errors = [];

    public bool Any => _errors.Count > 0;

    public PluginSchemaErrors Add(string pointer, string detail)
    {
        _errors.Add(new JsonObject { ["title"] = "Invalid value", ["source"] = new JsonObject { ["pointer"] = pointer }, ["detail"] = detail });
        return this;
    }

    public IResult Result() => TypedResults.Json(new JsonObject { ["errors"] = _errors }, statusCode: StatusCodes.Status422UnprocessableEntity);
}
