using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Components.Goals;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace GoalsDashboard.Components.Pages.Goals;

/// <summary>A goal's page: <see cref="GoalPageModel"/> loads it; this shows it and hands the view and the changes to it.</summary>
public partial class GoalDetails
{
    private GoalPageModel _model = default!;
    private CompletionsTable? _completions;
    private string _user = "";
    private int _tab;

    [Inject] private GoalService Goals { get; set; } = default!;
    [Inject] private CampaignService Campaigns { get; set; } = default!;
    [Inject] private FunnelService Funnels { get; set; } = default!;
    [Inject] private EvaluationService Evaluation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        ReadAddress();
        if (_model?.Id != Id)
        {
            _model = new GoalPageModel(Goals, Campaigns, Funnels, Analytics, Evaluation);
            _user = (await AuthState).User.Identity?.Name ?? "";
            if (!await _model.LoadGoalAsync(Id))
            {
                return;
            }
            // A short tick: a running backfill shows its progress.
            StartLiveRefresh(TimeSpan.FromMilliseconds(700));
        }
        await LoadFiguresAsync();
    }

    private Task LoadFiguresAsync() => ShowAsync(() => _model.LoadFiguresAsync(View.Query));

    protected override Task RefreshAsync() => ShowAsync(() => _model.RefreshAsync(View.Query));

    private async Task ShowAsync(Func<Task> load)
    {
        await LoadFiguresAsync(load, "Showing the goal without filters.");
        if (_completions is not null)
        {
            await _completions.ReloadAsync();
        }
        _ = _model.LoadInterestsAsync(View.Query, () => InvokeAsync(StateHasChanged));
    }

    protected override bool OnChanges(IReadOnlyList<Change> changes) => _model.Hears(changes);

    protected override Task OnTickAsync()
    {
        if (_model.Tick())
        {
            StateHasChanged();
        }
        return Task.CompletedTask;
    }

    private async Task SetCampaignLinkAsync((string Key, bool Linked) change)
    {
        if (!_model.CampaignIds.TryGetValue(change.Key, out var campaignId))
        {
            return;
        }
        await Campaigns.SetLinkAsync(Id, campaignId, change.Linked, _user);
        Snackbar.Add(change.Linked ? $"Linked to {change.Key}." : $"Unlinked from {change.Key}.", Severity.Success);
        await _model.LoadGoalAsync(Id);
    }

    public override void Dispose()
    {
        _model?.Dispose();
        base.Dispose();
    }
}
