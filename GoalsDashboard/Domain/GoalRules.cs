using System.Globalization;

namespace GoalsDashboard.Domain;

/// <summary>
/// The rules of docs/goals.md, in one place: the wizard and the API both validate through
/// <see cref="Normalize"/>. Rules that need stored data (unique names, one currency per event name,
/// the active-goal limit) are checked by the goal service on top of these.
/// </summary>
public static class GoalRules
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 2000;
    public const int MaxEventNameLength = 120;
    public const int MaxPathLength = 2000;
    public const int MaxKeyLength = 300;
    public const int MaxValueLength = 2000;
    public const int MaxFilters = 3;
    public const int MaxGroups = 4;
    public const int MaxConditionsPerGroup = 8;
    public const int MaxWindowAmount = 365;
    public const int MaxSiteLength = 200;
    public const string ReservedEventName = "engagement";

    /// <summary>Names the seeds call too vague to tell goals apart.</summary>
    public static readonly IReadOnlySet<string> VagueNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "engagement", "conversion", "conversions", "goal", "goals", "success", "action", "event", "test", "new goal",
    };

    /// <summary>Returns the draft trimmed and completed (generated name, normalized paths), or throws every field error at once.</summary>
    public static GoalDraft Normalize(GoalDraft draft)
    {
        var errors = new ValidationErrors();
        var groups = NormalizeGroups(draft, errors);
        var window = NormalizeWindow(draft.Window, errors);
        var sites = NormalizeSites(draft.Sites, errors);
        var campaigns = draft.Campaigns.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        var name = draft.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            name = GenerateName(draft.Type, groups) ?? "";
        }
        if (name.Length == 0)
        {
            errors.Add("name", "Give the goal a name, for example \"Trial Signup Completed\".");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"The name is {name.Length} characters; the limit is {MaxNameLength}.");
        }

        var description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"The description is {description.Length} characters; the limit is {MaxDescriptionLength}.");
        }

        string? currency = null;
        if (draft.Type == GoalType.Revenue)
        {
            currency = draft.Currency?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(currency))
            {
                errors.Add("currency", "A revenue goal needs a currency, such as EUR or USD.");
            }
            else if (!Currencies.IsValid(currency))
            {
                errors.Add("currency", $"\"{draft.Currency}\" is not an ISO 4217 currency code (for example EUR, USD, GBP).");
            }
        }
        else if (!string.IsNullOrWhiteSpace(draft.Currency))
        {
            errors.Add("currency", "Only revenue goals have a currency.");
        }

        if (draft.DefaultValue is { } defaultValue && Money.Check(defaultValue, "The default value") is { } valueError)
        {
            errors.Add("default_value", valueError);
        }
        if (draft.TargetRate is { } rate && (double.IsNaN(rate) || rate <= 0 || rate > 100))
        {
            errors.Add("target_rate", "The target completion rate must be more than 0% and at most 100%.");
        }

        errors.ThrowIfAny();
        return draft with
        {
            Name = name,
            Description = description,
            Groups = groups,
            Window = window,
            Sites = sites,
            Campaigns = campaigns,
            Currency = currency,
        };
    }

    /// <summary>The generated name for an unnamed goal: the event name, or "Visit /path".</summary>
    public static string? GenerateName(GoalType type, IReadOnlyList<ConditionGroup> groups)
    {
        var first = groups.SelectMany(g => g.Conditions).FirstOrDefault(c => !c.Negate && c.IsEventLike);
        return first?.Kind switch
        {
            ConditionKind.Event when type is GoalType.CustomEvent or GoalType.Revenue => first.EventName,
            ConditionKind.PageView when type == GoalType.PageView => $"Visit {first.Path}",
            _ => null,
        };
    }

    /// <summary>Adds the leading slash and trims, as the product promises for paths.</summary>
    public static string NormalizePath(string path)
    {
        var trimmed = path.Trim();
        return trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }

    public static bool IsNumber(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);

    private static List<ConditionGroup> NormalizeGroups(GoalDraft draft, ValidationErrors errors)
    {
        if (draft.Type == GoalType.Tracked)
        {
            if (draft.Groups.Count > 0 && draft.Groups.Any(g => g.Conditions.Count > 0))
            {
                errors.Add("groups", "A tracked-conversion goal has no conditions: it completes through the conversion API.");
            }
            return [];
        }
        if (draft.Groups.Count == 0)
        {
            errors.Add("groups", "Add at least one condition.");
            return [];
        }
        if (draft.Groups.Count > MaxGroups)
        {
            errors.Add("groups", $"A goal can have at most {MaxGroups} condition groups; this one has {draft.Groups.Count}.");
        }

        var result = new List<ConditionGroup>(draft.Groups.Count);
        for (var g = 0; g < draft.Groups.Count; g++)
        {
            var group = draft.Groups[g];
            var field = $"groups[{g}]";
            if (group.Conditions.Count == 0)
            {
                errors.Add($"{field}.conditions", "A group needs at least one condition.");
            }
            else if (group.Conditions.Count > MaxConditionsPerGroup)
            {
                errors.Add($"{field}.conditions", $"A group can have at most {MaxConditionsPerGroup} conditions; this one has {group.Conditions.Count}.");
            }
            var conditions = new List<Condition>(group.Conditions.Count);
            for (var c = 0; c < group.Conditions.Count; c++)
            {
                conditions.Add(NormalizeCondition(draft.Type, group.Conditions[c], $"{field}.conditions[{c}]", errors));
            }
            if (draft.Type == GoalType.Revenue && !conditions.Any(c => c is { Kind: ConditionKind.Event, Negate: false }))
            {
                errors.Add($"{field}.conditions", "A revenue goal needs an event condition (the event that carries the revenue) in every group.");
            }
            result.Add(new ConditionGroup(conditions));
        }
        return result;
    }

    private static Condition NormalizeCondition(GoalType type, Condition condition, string field, ValidationErrors errors)
    {
        var allowed = type switch
        {
            GoalType.CustomEvent => condition.Kind == ConditionKind.Event,
            GoalType.PageView => condition.Kind == ConditionKind.PageView,
            GoalType.Property => condition.Kind == ConditionKind.Property,
            _ => true,
        };
        if (!allowed)
        {
            errors.Add($"{field}.kind", $"A {type.ToLabel().ToLowerInvariant()} goal can only hold {KindFor(type)} conditions; choose the Combined type to mix kinds.");
        }

        switch (condition.Kind)
        {
            case ConditionKind.Event:
                return condition with
                {
                    EventName = NormalizeEventName(condition.EventName, $"{field}.event_name", errors),
                    Path = null, Key = null, Value = null, Operator = default,
                    Filters = NormalizeFilters(condition.Filters, $"{field}.filters", errors),
                };
            case ConditionKind.PageView:
                var path = condition.Path?.Trim() ?? "";
                if (path.Length == 0)
                {
                    errors.Add($"{field}.path", "Enter the page path, such as /pricing or /blog/*.");
                }
                else
                {
                    path = NormalizePath(path);
                    if (path.Length > MaxPathLength)
                    {
                        errors.Add($"{field}.path", $"The path is {path.Length} characters; the limit is {MaxPathLength}.");
                    }
                    if (path.Contains('?') || path.Contains('#'))
                    {
                        errors.Add($"{field}.path", "Paths are matched without their ?query or #fragment; leave those out.");
                    }
                }
                return condition with
                {
                    Path = path, EventName = null, Key = null, Value = null, Operator = default,
                    Filters = NormalizeFilters(condition.Filters, $"{field}.filters", errors),
                };
            case ConditionKind.Property:
                var test = NormalizeTest(condition.Key, condition.Operator, condition.Value, field, errors);
                return condition with { Key = test.Key, Value = test.Value, EventName = null, Path = null, Filters = [] };
            default:
                errors.Add($"{field}.kind", "Choose what the condition looks at: an event, a page view or a profile property.");
                return condition;
        }
    }

    private static string KindFor(GoalType type) => type switch
    {
        GoalType.CustomEvent => "event",
        GoalType.PageView => "page-view",
        GoalType.Property => "profile-property",
        _ => "any",
    };

    public static string NormalizeEventName(string? name, string field, ValidationErrors errors)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(field, "Enter the event name, for example signup_completed.");
        }
        else if (trimmed.Length > MaxEventNameLength)
        {
            errors.Add(field, $"The event name is {trimmed.Length} characters; the limit is {MaxEventNameLength}.");
        }
        else if (string.Equals(trimmed, ReservedEventName, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(field, "\"engagement\" is reserved for the tracker's own events; use a more specific event name.");
        }
        return trimmed;
    }

    private static IReadOnlyList<PropertyFilter> NormalizeFilters(IReadOnlyList<PropertyFilter> filters, string field, ValidationErrors errors)
    {
        if (filters.Count > MaxFilters)
        {
            errors.Add(field, $"A condition can have at most {MaxFilters} property filters; this one has {filters.Count}.");
        }
        var result = new List<PropertyFilter>(filters.Count);
        for (var i = 0; i < filters.Count; i++)
        {
            result.Add(NormalizeTest(filters[i].Key, filters[i].Operator, filters[i].Value, $"{field}[{i}]", errors));
        }
        return result;
    }

    /// <summary>Validates one key/operator/value test, shared by filters, property conditions and segments.</summary>
    public static PropertyFilter NormalizeTest(string? key, Operator op, string? value, string field, ValidationErrors errors)
    {
        var k = key?.Trim() ?? "";
        if (k.Length == 0)
        {
            errors.Add($"{field}.key", "Enter the property key, for example plan.");
        }
        else if (k.Length > MaxKeyLength)
        {
            errors.Add($"{field}.key", $"The property key is {k.Length} characters; the limit is {MaxKeyLength}.");
        }
        if (!Enum.IsDefined(op))
        {
            errors.Add($"{field}.operator", "Choose an operator.");
            return new PropertyFilter(k, op, value);
        }
        if (op == Operator.OneOf)
        {
            // A goal says "any of" with alternative groups (docs/goals.md); is one of belongs to segments.
            errors.Add($"{field}.operator", "Is one of is for segments; in a goal, add an alternative (\"or\") group for each value.");
            return new PropertyFilter(k, op, value);
        }
        if (!op.NeedsValue())
        {
            return new PropertyFilter(k, op, null);
        }
        // Values are kept as typed: leading spaces can matter to an equals test.
        var v = value ?? "";
        if (v.Length == 0)
        {
            errors.Add($"{field}.value", "Enter a value to compare with.");
        }
        else if (v.Length > MaxValueLength)
        {
            errors.Add($"{field}.value", $"The value is {v.Length} characters; the limit is {MaxValueLength}.");
        }
        else if (op.IsNumeric() && !IsNumber(v))
        {
            errors.Add($"{field}.value", $"\"{op.ToPhrase()}\" compares numbers: enter a number such as 50 or 9.99.");
        }
        return new PropertyFilter(k, op, v);
    }

    private static GoalWindow? NormalizeWindow(GoalWindow? window, ValidationErrors errors)
    {
        if (window is null)
        {
            return null;
        }
        if (window.Amount is < 1 or > MaxWindowAmount)
        {
            errors.Add("window.amount", $"The window must be between 1 and {MaxWindowAmount} {(window.Unit == WindowUnit.Days ? "days" : "hours")}.");
        }
        if (!Enum.IsDefined(window.Unit))
        {
            errors.Add("window.unit", "The window unit is days or hours.");
        }
        if (window.Anchor == WindowAnchor.Event)
        {
            return window with { AnchorEvent = NormalizeEventName(window.AnchorEvent, "window.anchor_event", errors) };
        }
        return window with { AnchorEvent = null };
    }

    private static List<string> NormalizeSites(IReadOnlyList<string> sites, ValidationErrors errors)
    {
        var result = new List<string>();
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i]?.Trim() ?? "";
            if (site.Length == 0)
            {
                errors.Add($"sites[{i}]", "A site cannot be empty.");
            }
            else if (site.Length > MaxSiteLength)
            {
                errors.Add($"sites[{i}]", $"The site is {site.Length} characters; the limit is {MaxSiteLength}.");
            }
            else if (!result.Contains(site, StringComparer.Ordinal))
            {
                result.Add(site);
            }
        }
        return result;
    }
}
