namespace GoalsDashboard.Domain;

/// <summary>The wizard presets of docs/goals.md; every type is stored as condition groups.</summary>
public enum GoalType { CustomEvent, PageView, Property, Combined, Revenue, Tracked }

public enum GoalStatus { Active, Archived }

public enum ConditionKind { Event, PageView, Property }

public enum Operator
{
    Equals, NotEquals, Contains, NotContains, StartsWith,
    GreaterThan, GreaterOrEqual, LessThan, LessOrEqual, Exists, NotExists,

    /// <summary>Equals any of a list of values; segments only (<see cref="SegmentCondition.Values"/>).</summary>
    OneOf,
}

public enum WindowUnit { Days, Hours }

public enum WindowAnchor { FirstSeen, Event }

public static class OperatorExtensions
{
    public static bool IsNumeric(this Operator op) =>
        op is Operator.GreaterThan or Operator.GreaterOrEqual or Operator.LessThan or Operator.LessOrEqual;

    public static bool NeedsValue(this Operator op) => op is not (Operator.Exists or Operator.NotExists);

    /// <summary>The snake_case name used by the API and stored definitions.</summary>
    public static string ToWire(this Operator op) => op switch
    {
        Operator.Equals => "equals",
        Operator.NotEquals => "not_equals",
        Operator.Contains => "contains",
        Operator.NotContains => "not_contains",
        Operator.StartsWith => "starts_with",
        Operator.GreaterThan => "greater_than",
        Operator.GreaterOrEqual => "greater_or_equal",
        Operator.LessThan => "less_than",
        Operator.LessOrEqual => "less_or_equal",
        Operator.Exists => "exists",
        Operator.NotExists => "not_exists",
        Operator.OneOf => "one_of",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Words for the plain-language sentence of a definition.</summary>
    public static string ToPhrase(this Operator op) => op switch
    {
        Operator.Equals => "is",
        Operator.NotEquals => "is not",
        Operator.Contains => "contains",
        Operator.NotContains => "does not contain",
        Operator.StartsWith => "starts with",
        Operator.GreaterThan => "is greater than",
        Operator.GreaterOrEqual => "is at least",
        Operator.LessThan => "is less than",
        Operator.LessOrEqual => "is at most",
        Operator.Exists => "is set",
        Operator.NotExists => "is not set",
        Operator.OneOf => "is one of",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static bool TryParseWire(string? text, out Operator op)
    {
        foreach (var candidate in Enum.GetValues<Operator>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.Ordinal))
            {
                op = candidate;
                return true;
            }
        }
        op = default;
        return false;
    }
}

public static class GoalTypeExtensions
{
    public static string ToWire(this GoalType type) => type switch
    {
        GoalType.CustomEvent => "custom_event",
        GoalType.PageView => "pageview",
        GoalType.Property => "property",
        GoalType.Combined => "combined",
        GoalType.Revenue => "revenue",
        GoalType.Tracked => "tracked",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string ToLabel(this GoalType type) => type switch
    {
        GoalType.CustomEvent => "Custom event",
        GoalType.PageView => "Page view",
        GoalType.Property => "Profile property",
        GoalType.Combined => "Combined",
        GoalType.Revenue => "Revenue",
        GoalType.Tracked => "Tracked conversion",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParseWire(string? text, out GoalType type)
    {
        foreach (var candidate in Enum.GetValues<GoalType>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
