using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GoalsDashboard.Components.Goals;

/// <summary>The goal wizard's stepper: it shows the steps and asks <see cref="GoalWizard"/> whether a step may be left. The same editor edits a goal.</summary>
public partial class GoalEditor
{
    private MudStepper? _stepper;
    private int _step;
    private GoalWizard _wizard = default!;

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

    protected override void OnParametersSet()
    {
        if (_wizard is null || !ReferenceEquals(_wizard.Model, Model) || _wizard.GoalId != GoalId)
        {
            _wizard = new GoalWizard(Goals, Analytics, Model, GoalId);
        }
    }

    private async Task OnPreviewInteractionAsync(StepperInteractionEventArgs args)
    {
        if (args.Action is not (StepAction.Complete or StepAction.Activate))
        {
            return;
        }
        var target = args.Action == StepAction.Complete ? args.StepIndex + 1 : args.StepIndex;
        if (target <= _step && args.Action == StepAction.Activate)
        {
            return;
        }
        if (await _wizard.BlockingStepAsync(_step, target) is { } blocking)
        {
            args.Cancel = true;
            _step = blocking;
            return;
        }
        if (target == GoalWizard.LastStep)
        {
            _ = _wizard.LoadReviewAsync(() => InvokeAsync(StateHasChanged));
        }
    }

    private async Task SaveAsync()
    {
        if (await _wizard.SaveAsync(UserName, step => _step = step) is { } goal)
        {
            await OnSaved.InvokeAsync(goal);
        }
    }
}
