using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Goals;

/// <summary>
/// The goal wizard's state and rules, without a renderer: which step shows which field's error, whether a step
/// may be left, the review's preview and warnings, and saving. The domain's rules are the only rules: every
/// check goes through <see cref="GoalRules"/> and the goal service.
/// </summary>
public sealed class GoalWizard(GoalService goals, AnalyticsService analytics, GoalEditModel model, Guid? goalId)
{
    public const int LastStep = 4;

    private readonly HashSet<int> _touchedSteps = [];

    public GoalEditModel Model { get; } = model;

    /// <summary>The stored goal's id when editing; null when creating.</summary>
    public Guid? GoalId { get; } = goalId;

    public bool IsEdit => GoalId is not null;

    /// <summary>The field errors shown now: only on steps the user already tried to leave.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>What the draft would have done in the last 30 days: completions and the active profiles they are out of.</summary>
    public (int Completions, int ActiveProfiles)? Preview { get; private set; }

    public bool Previewing { get; private set; }

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public bool Saving { get; private set; }

    public string? SaveError { get; private set; }

    public bool HasError(string key) => Errors.ContainsKey(key);

    public string? ErrorOf(string key) => Errors.TryGetValue(key, out var messages) ? messages[0] : null;

    public bool StepHasError(int step) => _touchedSteps.Contains(step) && Errors.Keys.Any(k => StepOf(k) == step);

    /// <summary>Which step shows a field: errors are reported on the step that can fix them.</summary>
    public static int StepOf(string field) => field switch
    {
        "name" or "description" or "type" => 0,
        _ when field.StartsWith("groups", StringComparison.Ordinal) => 1,
        _ when field.StartsWith("window", StringComparison.Ordinal) || field.StartsWith("sites", StringComparison.Ordinal) => 2,
        _ => 3,
    };

    /// <summary>The definition as it will be stored; an invalid draft is shown as typed.</summary>
    public string Sentence
    {
        get
        {
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

    /// <summary>The name the goal will have: the typed one, or the one generated from its condition.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Model.Name) ? GoalRules.GenerateName(Model.Type, Model.ToDraft().Groups) ?? "(unnamed)" : Model.Name;

    /// <summary>Chooses the goal's type; a stored goal cannot become, or stop being, a revenue goal.</summary>
    public void SetType(GoalType type)
    {
        if (IsEdit && (type == GoalType.Revenue) != (Model.Type == GoalType.Revenue))
        {
            Errors = new Dictionary<string, string[]> { ["type"] = ["A goal cannot become, or stop being, a revenue goal after creation: its currency is fixed. Create a new goal instead."] };
            return;
        }
        Model.SetType(type);
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Re-validates while typing, showing errors only on steps the user already tried to leave.</summary>
    public async Task ValidateQuietlyAsync()
    {
        var errors = await ValidateAsync();
        Errors = errors.Where(e => _touchedSteps.Contains(StepOf(e.Key))).ToDictionary(e => e.Key, e => e.Value);
    }

    /// <summary>
    /// Moving from <paramref name="current"/> to <paramref name="target"/>: going back is always allowed; going forward
    /// needs every step before the target to be valid. Returns the step to show instead when one is not (null: go on).
    /// </summary>
    public async Task<int?> BlockingStepAsync(int current, int target)
    {
        if (target <= current)
        {
            return null;
        }
        var errors = await ValidateAsync();
        for (var step = 0; step < target && step < LastStep; step++)
        {
            _touchedSteps.Add(step);
            if (errors.Keys.Any(k => StepOf(k) == step))
            {
                Errors = errors.Where(e => _touchedSteps.Contains(StepOf(e.Key))).ToDictionary(e => e.Key, e => e.Value);
                return step;
            }
        }
        Errors = new Dictionary<string, string[]>();
        return null;
    }

    /// <summary>The review's preview of the last 30 days and the pitfalls to warn about.</summary>
    public async Task LoadReviewAsync(Func<Task> changed)
    {
        Previewing = true;
        Preview = null;
        await changed();
        var draft = GoalRules.Normalize(Model.ToDraft());
        var stats = await Task.Run(() => analytics.PreviewAsync(draft));
        Preview = (stats.Completions, stats.Denominator);
        Warnings = (await goals.PitfallsAsync(draft, Preview.Value, GoalId)).ToList();
        Previewing = false;
        await changed();
    }

    /// <summary>Saves the goal; on a broken rule, returns null with the errors shown and the first step that can fix them in <paramref name="showStep"/>.</summary>
    public async Task<Goal?> SaveAsync(string user, Action<int> showStep)
    {
        Saving = true;
        SaveError = null;
        try
        {
            var draft = Model.ToDraft();
            return GoalId is { } id
                ? await goals.ReplaceAsync(id, draft, Model.Version, user)
                : await goals.CreateAsync(draft, user);
        }
        catch (DomainValidationException ex)
        {
            Errors = ex.Errors;
            _touchedSteps.UnionWith([0, 1, 2, 3]);
            SaveError = string.Join(" ", ex.Errors.SelectMany(e => e.Value));
            var first = ex.Errors.Keys.Select(StepOf).DefaultIfEmpty(LastStep).Min();
            if (first < LastStep)
            {
                showStep(first);
            }
            return null;
        }
        catch (ConcurrencyConflictException ex)
        {
            SaveError = ex.Message;
            return null;
        }
        finally
        {
            Saving = false;
        }
    }

    /// <summary>All field errors of the current model (domain rules, then rules that need stored goals).</summary>
    private async Task<IReadOnlyDictionary<string, string[]>> ValidateAsync()
    {
        try
        {
            var normalized = GoalRules.Normalize(Model.ToDraft());
            await goals.CheckAgainstStoredGoalsAsync(normalized, GoalId);
            return new Dictionary<string, string[]>();
        }
        catch (DomainValidationException ex)
        {
            // "Leave empty to use the event name": a goal that takes its name from its event or path has none to take
            // while its conditions are unfinished; that is the conditions' error, not the name's.
            var named = !string.IsNullOrWhiteSpace(Model.Name) || Model.Type is not (GoalType.CustomEvent or GoalType.PageView or GoalType.Revenue);
            return named || !ex.Errors.Keys.Any(k => StepOf(k) == 1) ? ex.Errors : ex.Errors.Where(e => e.Key != "name").ToDictionary();
        }
    }
}
