namespace GoalsDashboard.Domain;

/// <summary>A filter on an event's properties, or the test of a profile property condition.</summary>
public sealed record PropertyFilter(string Key, Operator Operator, string? Value);

/// <summary>
/// One condition of a group. <see cref="Kind"/> decides which fields apply: an event condition uses
/// <see cref="EventName"/> and <see cref="Filters"/>, a page-view condition <see cref="Path"/> and
/// <see cref="Filters"/>, a property condition <see cref="Key"/>, <see cref="Operator"/> and <see cref="Value"/>.
/// </summary>
public sealed record Condition
{
    public ConditionKind Kind { get; init; }
    public string? EventName { get; init; }
    public string? Path { get; init; }
    public string? Key { get; init; }
    public Operator Operator { get; init; }
    public string? Value { get; init; }
    public bool Negate { get; init; }
    public IReadOnlyList<PropertyFilter> Filters { get; init; } = [];

    public static Condition ForEvent(string name, params PropertyFilter[] filters) =>
        new() { Kind = ConditionKind.Event, EventName = name, Filters = filters };

    public static Condition ForPageView(string path, params PropertyFilter[] filters) =>
        new() { Kind = ConditionKind.PageView, Path = path, Filters = filters };

    public static Condition ForProperty(string key, Operator op, string? value) =>
        new() { Kind = ConditionKind.Property, Key = key, Operator = op, Value = value };

    /// <summary>True for the conditions an event can satisfy (event and page view).</summary>
    public bool IsEventLike => Kind is ConditionKind.Event or ConditionKind.PageView;
}

/// <summary>Conditions that must all hold (AND); a goal holds when any of its groups holds (OR).</summary>
public sealed record ConditionGroup(IReadOnlyList<Condition> Conditions);

/// <summary>Completion counts only within <see cref="Amount"/> days or hours of the anchor.</summary>
public sealed record GoalWindow(int Amount, WindowUnit Unit, WindowAnchor Anchor = WindowAnchor.FirstSeen, string? AnchorEvent = null)
{
    public TimeSpan Length => Unit == WindowUnit.Days ? TimeSpan.FromDays(Amount) : TimeSpan.FromHours(Amount);
}

/// <summary>
/// What a user (wizard) or integrator (API) submits to create or replace a goal. Validation turns it
/// into a normalized draft (trimmed names, generated name, leading slash on paths) or field errors.
/// </summary>
public sealed record GoalDraft
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public GoalType Type { get; init; }
    public IReadOnlyList<ConditionGroup> Groups { get; init; } = [];
    public GoalWindow? Window { get; init; }
    public IReadOnlyList<string> Sites { get; init; } = [];
    public IReadOnlyList<string> Campaigns { get; init; } = [];
    public string? Currency { get; init; }
    public decimal? DefaultValue { get; init; }
    public double? TargetRate { get; init; }
}
