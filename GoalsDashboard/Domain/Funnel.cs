namespace GoalsDashboard.Domain;

public sealed record FunnelWindow(int Amount, WindowUnit Unit)
{
    public TimeSpan Length => Unit == WindowUnit.Days ? TimeSpan.FromDays(Amount) : TimeSpan.FromHours(Amount);
}

/// <summary>An ordered list of 2–12 goals, with an optional overall window and optional per-step windows.</summary>
public sealed class Funnel
{
    public const int MinSteps = 2;
    public const int MaxSteps = 12;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public FunnelWindow? Window { get; set; }
    public List<FunnelStep> Steps { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

public sealed class FunnelStep
{
    public int FunnelId { get; set; }
    /// <summary>Zero-based place of the step in the funnel.</summary>
    public int Position { get; set; }
    public Guid GoalId { get; set; }
    /// <summary>The longest time allowed after the previous step.</summary>
    public FunnelWindow? Window { get; set; }
}

public sealed record FunnelStepDraft(Guid GoalId, FunnelWindow? Window);

public sealed record FunnelDraft(string? Name, IReadOnlyList<FunnelStepDraft> Steps, FunnelWindow? Window);

public static class FunnelRules
{
    public const int MaxNameLength = 200;
    public const int MaxWindowAmount = 3650;

    /// <summary>Trims and checks a funnel's shape (goal existence is checked against the store); errors keyed by the API's fields.</summary>
    public static FunnelDraft Normalize(FunnelDraft draft)
    {
        var errors = new ValidationErrors();
        var name = draft.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "Enter a name, for example Signup to purchase.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"The name is {name.Length} characters; the limit is {MaxNameLength}.");
        }
        if (draft.Steps.Count is < Funnel.MinSteps or > Funnel.MaxSteps)
        {
            errors.Add("steps", $"A funnel has {Funnel.MinSteps} to {Funnel.MaxSteps} steps; this one has {draft.Steps.Count}.");
        }
        for (var i = 0; i < draft.Steps.Count; i++)
        {
            if (draft.Steps[i].GoalId == Guid.Empty)
            {
                errors.Add($"steps[{i}].goal_id", "Choose the goal of this step.");
            }
            else if (draft.Steps.Take(i).Any(s => s.GoalId == draft.Steps[i].GoalId))
            {
                errors.Add($"steps[{i}].goal_id", "This goal is already a step of the funnel; each goal can be one step.");
            }
            CheckWindow(draft.Steps[i].Window, $"steps[{i}].window", errors);
            if (i == 0 && draft.Steps[i].Window is not null)
            {
                errors.Add("steps[0].window", "The first step has no window: windows count from the previous step.");
            }
        }
        CheckWindow(draft.Window, "window", errors);
        errors.ThrowIfAny();
        return draft with { Name = name };
    }

    private static void CheckWindow(FunnelWindow? window, string field, ValidationErrors errors)
    {
        if (window is null)
        {
            return;
        }
        if (!Enum.IsDefined(window.Unit))
        {
            errors.Add($"{field}.unit", "The unit is days or hours.");
        }
        if (window.Amount is < 1 or > MaxWindowAmount)
        {
            errors.Add($"{field}.amount", $"A window is 1 to {MaxWindowAmount} {(window.Unit == WindowUnit.Hours ? "hours" : "days")}.");
        }
    }
}
