using GoalsDashboard.Domain;

namespace GoalsDashboard.Components.Goals;

/// <summary>
/// The editor's mutable view of a goal. Converted to a <see cref="GoalDraft"/> for validation and
/// saving, so the domain's rules (and messages) are the only rules.
/// </summary>
public sealed class GoalEditModel
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public GoalType Type { get; private set; } = GoalType.CustomEvent;
    public List<GroupModel> Groups { get; } = [];
    public bool HasWindow { get; set; }
    public int WindowAmount { get; set; } = 30;
    public WindowUnit WindowUnit { get; set; } = WindowUnit.Days;
    public WindowAnchor WindowAnchor { get; set; } = WindowAnchor.FirstSeen;
    public string? AnchorEvent { get; set; }
    public bool AnySite { get; set; } = true;
    public IReadOnlyCollection<string> Sites { get; set; } = [];
    public string? Currency { get; set; }
    public decimal? DefaultValue { get; set; }
    public double? TargetRate { get; set; }
    public IReadOnlyCollection<string> Campaigns { get; set; } = [];

    /// <summary>The stored version being edited (null for a new goal): a save against an older version is refused.</summary>
    public int? Version { get; init; }

    public static GoalEditModel New(GoalType type = GoalType.CustomEvent)
    {
        var model = new GoalEditModel();
        model.SetType(type);
        return model;
    }

    public static GoalEditModel From(Goal goal, IReadOnlyList<string> campaignKeys)
    {
        var model = new GoalEditModel
        {
            Name = goal.Name,
            Description = goal.Description,
            Type = goal.Type,
            HasWindow = goal.Window is not null,
            WindowAmount = goal.Window?.Amount ?? 30,
            WindowUnit = goal.Window?.Unit ?? WindowUnit.Days,
            WindowAnchor = goal.Window?.Anchor ?? WindowAnchor.FirstSeen,
            AnchorEvent = goal.Window?.AnchorEvent,
            AnySite = goal.Sites.Count == 0,
            Sites = goal.Sites.ToList(),
            Currency = goal.Currency,
            DefaultValue = goal.DefaultValue,
            TargetRate = goal.TargetRate,
            Campaigns = campaignKeys.ToList(),
            Version = goal.Version,
        };
        model.Groups.AddRange(goal.Groups.Select(GroupModel.From));
        return model;
    }

    /// <summary>Kinds of condition the type allows; the builder offers only these.</summary>
    public IReadOnlyList<ConditionKind> AllowedKinds => Type switch
    {
        GoalType.CustomEvent => [ConditionKind.Event],
        GoalType.PageView => [ConditionKind.PageView],
        GoalType.Property => [ConditionKind.Property],
        GoalType.Tracked => [],
        _ => [ConditionKind.Event, ConditionKind.PageView, ConditionKind.Property],
    };

    /// <summary>Switches the preset, keeping the conditions that still fit and starting one that does when none is left.</summary>
    public void SetType(GoalType type)
    {
        Type = type;
        var allowed = AllowedKinds;
        foreach (var group in Groups)
        {
            group.Conditions.RemoveAll(c => !allowed.Contains(c.Kind));
        }
        Groups.RemoveAll(g => g.Conditions.Count == 0);
        if (type == GoalType.Tracked)
        {
            Groups.Clear();
            return;
        }
        if (Groups.Count == 0)
        {
            Groups.Add(new GroupModel { Conditions = { new ConditionModel { Kind = allowed[0] } } });
        }
        if (type != GoalType.Revenue)
        {
            Currency = null;
        }
    }

    public GoalDraft ToDraft() => new()
    {
        Name = Name,
        Description = Description,
        Type = Type,
        Groups = Groups.Select(g => g.ToGroup()).ToList(),
        Window = HasWindow ? new GoalWindow(WindowAmount, WindowUnit, WindowAnchor, WindowAnchor == WindowAnchor.Event ? AnchorEvent : null) : null,
        Sites = AnySite ? [] : Sites.ToList(),
        Campaigns = Campaigns.ToList(),
        Currency = Type == GoalType.Revenue ? Currency : null,
        DefaultValue = DefaultValue,
        TargetRate = TargetRate,
    };
}

public sealed class GroupModel
{
    public Guid Id { get; } = Guid.NewGuid();
    public List<ConditionModel> Conditions { get; init; } = [];

    public static GroupModel From(ConditionGroup group) => new() { Conditions = group.Conditions.Select(ConditionModel.From).ToList() };

    public ConditionGroup ToGroup() => new(Conditions.Select(c => c.ToCondition()).ToList());
}

public sealed class ConditionModel
{
    public Guid Id { get; } = Guid.NewGuid();
    public ConditionKind Kind { get; set; } = ConditionKind.Event;
    public string? EventName { get; set; }
    public string? Path { get; set; }
    public string? Key { get; set; }
    public Operator Operator { get; set; } = Operator.Equals;
    public string? Value { get; set; }
    public bool Negate { get; set; }
    public List<FilterModel> Filters { get; init; } = [];

    public static ConditionModel From(Condition c) => new()
    {
        Kind = c.Kind,
        EventName = c.EventName,
        Path = c.Path,
        Key = c.Key,
        Operator = c.Kind == ConditionKind.Property ? c.Operator : Operator.Equals,
        Value = c.Value,
        Negate = c.Negate,
        Filters = c.Filters.Select(f => new FilterModel { Key = f.Key, Operator = f.Operator, Value = f.Value }).ToList(),
    };

    public Condition ToCondition() => new()
    {
        Kind = Kind,
        EventName = Kind == ConditionKind.Event ? EventName : null,
        Path = Kind == ConditionKind.PageView ? Path : null,
        Key = Kind == ConditionKind.Property ? Key : null,
        Operator = Kind == ConditionKind.Property ? Operator : default,
        Value = Kind == ConditionKind.Property ? Value : null,
        Negate = Negate,
        Filters = Kind == ConditionKind.Property ? [] : Filters.Select(f => new PropertyFilter(f.Key ?? "", f.Operator, f.Value)).ToList(),
    };
}

public sealed class FilterModel
{
    public Guid Id { get; } = Guid.NewGuid();
    public string? Key { get; set; }
    public Operator Operator { get; set; } = Operator.Equals;
    public string? Value { get; set; }
}
