using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Funnels;

/// <summary>
/// The funnel editor's state and rules, without a renderer: the name, the steps in order with their windows, and the
/// errors of the last save, each of which disappears as soon as the field it names is put right.
/// </summary>
public sealed class FunnelEditModel
{
    /// <summary>One step as edited.</summary>
    public sealed class Step
    {
        public Guid GoalId { get; set; }
        public bool HasWindow { get; set; }
        public Window Window { get; set; } = new();
    }

    /// <summary>A window as edited.</summary>
    public sealed class Window
    {
        public int Amount { get; set; } = 7;
        public WindowUnit Unit { get; set; } = WindowUnit.Days;

        public FunnelWindow ToWindow() => new(Amount, Unit);

        public static Window From(FunnelWindow w) => new() { Amount = w.Amount, Unit = w.Unit };
    }

    public string? Name { get; set; }
    public bool HasWindow { get; set; }
    public Window FunnelWindow { get; set; } = new() { Amount = 30 };
    public List<Step> Steps { get; private set; } = [new(), new()];

    /// <summary>The errors shown: those of the last save that still hold.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>An error that no field shows (the whole funnel's), from the last save.</summary>
    public string? Error { get; private set; }

    public static FunnelEditModel From(FunnelView view) => new()
    {
        Name = view.Funnel.Name,
        HasWindow = view.Funnel.Window is not null,
        FunnelWindow = Window.From(view.Funnel.Window ?? new FunnelWindow(30, WindowUnit.Days)),
        Steps = view.Steps.Select(s => new Step { GoalId = s.GoalId, HasWindow = s.Window is not null, Window = Window.From(s.Window ?? new FunnelWindow(7, WindowUnit.Days)) }).ToList(),
    };

    public bool Has(string field) => Errors.ContainsKey(field);

    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public FunnelDraft ToDraft() => new(Name, Steps.Select((s, i) => new FunnelStepDraft(s.GoalId, i > 0 && s.HasWindow ? s.Window.ToWindow() : null)).ToList(),
        HasWindow ? FunnelWindow.ToWindow() : null);

    public void Move(int index, int by)
    {
        (Steps[index], Steps[index + by]) = (Steps[index + by], Steps[index]);
        Errors = new Dictionary<string, string[]>(); // step indexes in the errors no longer match
    }

    public void MoveTo(Step step, int index)
    {
        Steps.Remove(step);
        Steps.Insert(Math.Clamp(index, 0, Steps.Count), step);
        Errors = new Dictionary<string, string[]>();
    }

    public void Remove(int index)
    {
        Steps.RemoveAt(index);
        Errors = new Dictionary<string, string[]>();
    }

    public void Add() => Steps.Add(new Step());

    /// <summary>After an edit: an error whose field is now right goes at once; the others wait for the next save.</summary>
    public void Revalidate()
    {
        if (Errors.Count == 0)
        {
            return;
        }
        IReadOnlyDictionary<string, string[]> now;
        try
        {
            FunnelRules.Normalize(ToDraft());
            now = new Dictionary<string, string[]>();
        }
        catch (DomainValidationException ex)
        {
            now = ex.Errors;
        }
        // Rules the domain alone cannot check (an unknown goal, say) stay until the next save.
        Errors = Errors.Where(e => now.ContainsKey(e.Key) || !DomainChecks(e.Key)).ToDictionary(e => e.Key, e => e.Value);
    }

    // A step's goal is checked here for being chosen and not repeated; that it still exists is the save's to say again.
    private static bool DomainChecks(string field) => field is "name" or "steps" or "window.amount"
        || field.EndsWith(".window.amount", StringComparison.Ordinal) || field.EndsWith(".goal_id", StringComparison.Ordinal);

    /// <summary>Creates or saves the funnel; null with the errors shown when a rule is broken.</summary>
    public async Task<Funnel?> SaveAsync(FunnelService funnels, int? id, string user)
    {
        Error = null;
        try
        {
            return id is { } existing ? await funnels.UpdateAsync(existing, ToDraft(), user) : await funnels.CreateAsync(ToDraft(), user);
        }
        catch (DomainValidationException ex)
        {
            Errors = ex.Errors;
            Error = ex.Errors.Keys.All(k => k is "name" or "steps" or "window.amount" || k.StartsWith("steps[", StringComparison.Ordinal)) ? null : ex.Message;
            return null;
        }
    }
}
