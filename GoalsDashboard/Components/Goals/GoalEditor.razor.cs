using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GoalsDashboard.Components.Goals;

/// <summary>
/// The goal wizard: name & type → conditions → window & sites → value, target & campaigns → review.
/// Each step is checked with the domain's own rules before moving on; the same editor edits a goal.
/// </summary>
public partial class GoalEditor
{
    private const int LastStep = 4;
    private MudStepper? _stepper;
    private int _step;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private readonly HashSet<int> _touchedSteps = [];
    private (int Completions, int ActiveProfiles)? _preview;
    private bool _previewing;
    private bool _saving;
    private string? _saveError;
    private List<string> _warnings = [];

    [Inject] private GoalService Goals { get; set; } = default!;
    [Inject] private AnalyticsService Analytics { get; set; } = default!;

    /// <summary>The goal being created or edited; changed in place.</summary>
    [Parameter, EditorRequired] public GoalEditModel Model { get; set; } = default!;

    /// <summary>The stored goal's id when editing; null when creating.</summary>
    [Parameter] public Guid? GoalId { get; set; }

    /// <summary>Names, paths, keys, sites and campaigns seen in the data.</summary>
    [Parameter] public Suggestions Suggestions { get; set; } = Suggestions.Empty;

    /// <summary>The signed-in user, recorded in the audit fields.</summary>
    [Parameter, EditorRequired] public string UserName { get; set; } = "";

    /// <summary>Raised with the saved goal.</summary>
    [Parameter] public EventCallback<Goal> OnSaved { get; set; }

    /// <summary>Raised when the user gives up.</summary>
    [Parameter] public EventCallback OnCancel { get; set; }

    private bool IsEdit => GoalId is not null;

    private string Sentence
    {
        get
        {
            // The review shows the definition as it will be stored; an invalid draft is shown as typed.
            GoalDraft draft;
            try
            {
                draft = GoalRules.Normalize(Model.ToDraft());
            }
            catch (DomainValidationException)
            {
                draft = Model.ToDraft();
            }
            return GoalSentence.Describe(draft.Type, draft.Groups, draft.Window, draft.Sites);
        }
    }

    private string NameHelp => Model.Type is GoalType.CustomEvent or GoalType.PageView or GoalType.Revenue
        ? "Leave empty to use the event name or \"Visit /path\""
        : "Say what happened, e.g. \"Trial Signup Completed\"";

    private static string TypeHelp(GoalType type) => type switch
    {
        GoalType.CustomEvent => "A tracked event happened, like signup_completed.",
        GoalType.PageView => "A page or a group of pages was visited.",
        GoalType.Property => "A profile property reached a value, like plan = pro.",
        GoalType.Combined => "Several conditions together, with AND / OR.",
        GoalType.Revenue => "A purchase event, valued in one currency.",
        _ => "Recorded by your systems through the API (CRM, offline sales).",
    };

    private void SetType(GoalType type)
    {
        if (IsEdit && (type == GoalType.Revenue) != (Model.Type == GoalType.Revenue))
        {
            _errors = new Dictionary<string, string[]> { ["type"] = ["A goal cannot become, or stop being, a revenue goal after creation: its currency is fixed. Create a new goal instead."] };
            return;
        }
        Model.SetType(type);
        _errors = new Dictionary<string, string[]>();
    }

    private bool HasError(string key) => _errors.ContainsKey(key);

    private string? ErrorOf(string key) => _errors.TryGetValue(key, out var messages) ? messages[0] : null;

    private bool StepHasError(int step) => _touchedSteps.Contains(step) && _errors.Keys.Any(k => StepOf(k) == step);

    /// <summary>Which step shows a field: errors are reported on the step that can fix them.</summary>
    private static int StepOf(string field) => field switch
    {
        "name" or "description" or "type" => 0,
        _ when field.StartsWith("groups", StringComparison.Ordinal) => 1,
        _ when field.StartsWith("window", StringComparison.Ordinal) || field.StartsWith("sites", StringComparison.Ordinal) => 2,
        _ => 3,
    };

    /// <summary>All field errors of the current model (domain rules, then rules that need stored goals).</summary>
    private async Task<IReadOnlyDictionary<string, string[]>> ValidateAsync()
    {
        try
        {
            var normalized = GoalRules.Normalize(Model.ToDraft());
            await Goals.CheckAgainstStoredGoalsAsync(normalized, GoalId);
            return new Dictionary<string, string[]>();
        }
        catch (DomainValidationException ex)
        {
            return ex.Errors;
        }
    }

    /// <summary>Re-validates while typing, showing errors only on steps the user already tried to leave.</summary>
    private async Task ValidateQuietlyAsync()
    {
        var errors = await ValidateAsync();
        _errors = errors.Where(e => _touchedSteps.Contains(StepOf(e.Key))).ToDictionary(e => e.Key, e => e.Value);
    }

    private async Task OnPreviewInteractionAsync(StepperInteractionEventArgs args)
    {
        if (args.Action is not (StepAction.Complete or StepAction.Activate))
        {
            return;
        }
        // Moving forward (Next, or a later step's header) requires every step before the target to be valid.
        var target = args.Action == StepAction.Complete ? args.StepIndex + 1 : args.StepIndex;
        if (target <= _step && args.Action == StepAction.Activate)
        {
            return;
        }
        var errors = await ValidateAsync();
        for (var step = 0; step < target && step < LastStep; step++)
        {
            _touchedSteps.Add(step);
            if (errors.Keys.Any(k => StepOf(k) == step))
            {
                _errors = errors.Where(e => _touchedSteps.Contains(StepOf(e.Key))).ToDictionary(e => e.Key, e => e.Value);
                args.Cancel = true;
                if (step != _step)
                {
                    _step = step;
                }
                return;
            }
        }
        _errors = new Dictionary<string, string[]>();
        if (target == LastStep)
        {
            _ = LoadReviewAsync();
        }
    }

    private async Task LoadReviewAsync()
    {
        _previewing = true;
        _preview = null;
        await InvokeAsync(StateHasChanged);
        var draft = GoalRules.Normalize(Model.ToDraft());
        var stats = await Task.Run(() => Analytics.PreviewAsync(draft));
        _preview = (stats.Completions, stats.Denominator);
        _warnings = (await Goals.PitfallsAsync(draft, _preview.Value, GoalId)).ToList();
        _previewing = false;
        await InvokeAsync(StateHasChanged);
    }

    private async Task<IEnumerable<string>> SearchEventsAsync(string? text, CancellationToken ct) =>
        await Task.FromResult(Suggestions.EventNames.Where(n => string.IsNullOrWhiteSpace(text) || n.Contains(text, StringComparison.OrdinalIgnoreCase)).Take(20));

    private static Task<IEnumerable<string>> SearchCurrenciesAsync(string? text, CancellationToken ct) =>
        Task.FromResult(Currencies.All.Order().Where(c => string.IsNullOrWhiteSpace(text) || c.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase)).Take(20));

    private async Task SaveAsync()
    {
        _saving = true;
        _saveError = null;
        try
        {
            var draft = Model.ToDraft();
            var goal = GoalId is { } id
                ? await Goals.ReplaceAsync(id, draft, Model.Version, UserName)
                : await Goals.CreateAsync(draft, UserName);
            await OnSaved.InvokeAsync(goal);
        }
        catch (DomainValidationException ex)
        {
            _errors = ex.Errors;
            _touchedSteps.UnionWith([0, 1, 2, 3]);
            var first = ex.Errors.Keys.Select(StepOf).DefaultIfEmpty(LastStep).Min();
            _saveError = string.Join(" ", ex.Errors.SelectMany(e => e.Value));
            if (first < LastStep)
            {
                _step = first;
            }
        }
        catch (ConcurrencyConflictException ex)
        {
            _saveError = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }
}
