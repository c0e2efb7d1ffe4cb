using System.Text.Json;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Api;

/// <summary>A goal as the API returns it (docs/api.md), serialized in snake_case.</summary>
public sealed record GoalResponse(
    Guid Id,
    int Number,
    string Name,
    string DisplayName,
    [property: GoalTypeValues] string Type,
    [property: OneOf("active", "archived")] string Status,
    string? Description,
    IReadOnlyList<GroupContract> Groups,
    WindowContract? Window,
    IReadOnlyList<string> Sites,
    IReadOnlyList<string> Campaigns,
    string? Currency,
    decimal? DefaultValue,
    double? TargetRate,
    int Version,
    bool Evaluating,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public static GoalResponse From(Goal goal, IReadOnlyList<string> campaignKeys) => new(
        goal.Id, goal.Number, goal.Name, goal.Name, goal.Type.ToWire(), goal.Status == GoalStatus.Active ? "active" : "archived", goal.Description,
        goal.Groups.Select(g => new GroupContract(g.Conditions.Select(ConditionContract.From).ToList())).ToList(),
        goal.Window is { } w ? new WindowContract(w.Amount, w.Unit == WindowUnit.Days ? "days" : "hours", w.Anchor == WindowAnchor.Event ? "event" : "first_seen", w.AnchorEvent) : null,
        goal.Sites, campaignKeys, goal.Currency, goal.DefaultValue, goal.TargetRate, goal.Version, goal.IsEvaluating,
        goal.CreatedAt, goal.CreatedBy, goal.UpdatedAt, goal.UpdatedBy);
}

public sealed record GroupContract(IReadOnlyList<ConditionContract> Conditions);

public sealed record ConditionContract([property: OneOf("event", "pageview", "property")] string Kind, string? EventName, string? Path, string? Key,
    [property: OperatorValues] string? Operator, string? Value, bool Negate, IReadOnlyList<FilterContract> Filters)
{
    public static ConditionContract From(Condition c) => new(
        c.Kind switch { ConditionKind.Event => "event", ConditionKind.PageView => "pageview", _ => "property" },
        c.EventName, c.Path, c.Key, c.Kind == ConditionKind.Property ? c.Operator.ToWire() : null, c.Value, c.Negate,
        c.Filters.Select(f => new FilterContract(f.Key, f.Operator.ToWire(), f.Value)).ToList());
}

public sealed record FilterContract(string Key, [property: OperatorValues] string Operator, string? Value);

public sealed record WindowContract(int Amount, [property: OneOf("days", "hours")] string Unit, [property: OneOf("first_seen", "event")] string Anchor, string? AnchorEvent);

/// <summary>Reads a goal from request JSON into a draft, recording every shape error (wrong type, unknown operator) as a field error.</summary>
public static class GoalJson
{
    public static GoalDraft ReadDraft(JsonElement json, JsonFields f)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            f.Errors.Add(f.Field("goal"), "A goal must be a JSON object.");
            return new GoalDraft();
        }
        var typeText = f.String(json, "type");
        var type = GoalType.Combined;
        if (typeText is null)
        {
            type = InferType(json);
        }
        else if (!GoalTypeExtensions.TryParseWire(typeText, out type))
        {
            f.Errors.Add(f.Field("type"), $"\"{typeText}\" is not a goal type; use one of custom_event, pageview, property, combined, revenue, tracked.");
        }

        var groups = new List<ConditionGroup>();
        var groupItems = f.Array(json, "groups");
        for (var g = 0; g < groupItems.Count; g++)
        {
            var gf = f.Nested($"groups[{g}]");
            var conditions = new List<Condition>();
            var items = gf.Array(groupItems[g], "conditions");
            for (var c = 0; c < items.Count; c++)
            {
                conditions.Add(ReadCondition(items[c], gf.Nested($"conditions[{c}]")));
            }
            groups.Add(new ConditionGroup(conditions));
        }

        GoalWindow? window = null;
        if (JsonFields.Has(json, "window"))
        {
            var w = json.GetProperty("window");
            var wf = f.Nested("window");
            var amount = wf.Int(w, "amount");
            var unitText = wf.String(w, "unit") ?? "days";
            var anchorText = wf.String(w, "anchor") ?? "first_seen";
            var unit = unitText switch { "days" => WindowUnit.Days, "hours" => WindowUnit.Hours, _ => (WindowUnit?)null };
            var anchor = anchorText switch { "first_seen" => WindowAnchor.FirstSeen, "event" => WindowAnchor.Event, _ => (WindowAnchor?)null };
            if (amount is null)
            {
                wf.Errors.Add(wf.Field("amount"), "The window needs an amount (1–365).");
            }
            if (unit is null)
            {
                wf.Errors.Add(wf.Field("unit"), "The window unit is days or hours.");
            }
            if (anchor is null)
            {
                wf.Errors.Add(wf.Field("anchor"), "The window anchor is first_seen or event.");
            }
            window = new GoalWindow(amount ?? 0, unit ?? WindowUnit.Days, anchor ?? WindowAnchor.FirstSeen, wf.String(w, "anchor_event"));
        }

        double? targetRate = f.Decimal(json, "target_rate") is { } t ? (double)t : null;
        return new GoalDraft
        {
            Name = f.String(json, "name"),
            Description = f.String(json, "description"),
            Type = type,
            Groups = groups,
            Window = window,
            Sites = f.StringArray(json, "sites"),
            Campaigns = f.StringArray(json, "campaigns"),
            Currency = f.String(json, "currency"),
            DefaultValue = f.Decimal(json, "default_value"),
            TargetRate = targetRate,
        };
    }

    /// <summary>Without a type, the conditions decide: all of one kind → that preset, else combined; none → tracked.</summary>
    private static GoalType InferType(JsonElement json)
    {
        if (!JsonFields.Has(json, "groups") || json.GetProperty("groups").ValueKind != JsonValueKind.Array)
        {
            return GoalType.Tracked;
        }
        var kinds = json.GetProperty("groups").EnumerateArray()
            .Where(g => g.ValueKind == JsonValueKind.Object && g.TryGetProperty("conditions", out var c) && c.ValueKind == JsonValueKind.Array)
            .SelectMany(g => g.GetProperty("conditions").EnumerateArray())
            .Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null)
            .Distinct().ToList();
        if (JsonFields.Has(json, "currency"))
        {
            return GoalType.Revenue;
        }
        return kinds switch
        {
            [] => GoalType.Tracked,
            ["event"] => GoalType.CustomEvent,
            ["pageview"] => GoalType.PageView,
            ["property"] => GoalType.Property,
            _ => GoalType.Combined,
        };
    }

    private static Condition ReadCondition(JsonElement json, JsonFields f)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            f.Errors.Add(f.Field("kind"), "A condition must be a JSON object.");
            return new Condition();
        }
        var kindText = f.String(json, "kind", required: true);
        var kind = kindText switch
        {
            "event" => ConditionKind.Event,
            "pageview" => ConditionKind.PageView,
            "property" => ConditionKind.Property,
            _ => (ConditionKind)(-1),
        };
        if (kindText is not null && (int)kind < 0)
        {
            f.Errors.Add(f.Field("kind"), $"\"{kindText}\" is not a condition kind; use event, pageview or property.");
        }
        var filters = new List<PropertyFilter>();
        var filterItems = f.Array(json, "filters");
        for (var i = 0; i < filterItems.Count; i++)
        {
            var ff = f.Nested($"filters[{i}]");
            filters.Add(new PropertyFilter(ff.String(filterItems[i], "key") ?? "", ReadOperator(filterItems[i], ff), ff.String(filterItems[i], "value")));
        }
        return new Condition
        {
            Kind = kind,
            EventName = f.String(json, "event_name"),
            Path = f.String(json, "path"),
            Key = f.String(json, "key"),
            Operator = kind == ConditionKind.Property ? ReadOperator(json, f) : default,
            Value = f.String(json, "value"),
            Negate = f.Bool(json, "negate"),
            Filters = filters,
        };
    }

    private static Operator ReadOperator(JsonElement json, JsonFields f)
    {
        var text = f.String(json, "operator");
        if (text is null)
        {
            f.Errors.Add(f.Field("operator"), "Choose an operator: equals, not_equals, contains, not_contains, starts_with, greater_than, greater_or_equal, less_than, less_or_equal, exists, not_exists.");
            return (Operator)(-1);
        }
        if (!OperatorExtensions.TryParseWire(text, out var op))
        {
            f.Errors.Add(f.Field("operator"), $"\"{text}\" is not an operator.");
            return (Operator)(-1);
        }
        return op;
    }
}
