using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Components.Goals;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace GoalsDashboard.Components.Pages.Goals;

public partial class GoalDetails
{
    private Goal? _goal;
    private IReadOnlyList<string> _campaigns = [];
    private IReadOnlyDictionary<string, int> _campaignIds = new Dictionary<string, int>();
    private IReadOnlyList<(int Id, string Name)> _funnels = [];
    private FilterChoices? _options;
    private GoalStats? _stats;
    private GoalStats? _previous;
    private IReadOnlyList<ConverterInterest> _interests = [];
    private bool _interestsLoading;
    private double? _progress;
    private bool _notFound;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private MudTable<CompletionRow>? _completionsTable;
    private int _goalChanged;
    private CancellationTokenSource _interestsCts = new();

    [Inject] private GoalService GoalService { get; set; } = default!;
    [Inject] private CampaignService Campaigns { get; set; } = default!;
    [Inject] private FunnelService Funnels { get; set; } = default!;
    [Inject] private EvaluationService Evaluation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }


    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private string RevenueLabel => _goal?.Currency is { } currency ? $"Revenue ({currency})" : "Value";

    private string RevenueDetail => _stats!.Revenue.Average is { } average
        ? $"average {average:N2} over {_stats.Revenue.ValuedConversions:N0} valued conversions"
        : "no valued conversions";

    private string RateDetail
    {
        get
        {
            var denominator = View.Filters.Campaign is not null ? "campaign audience" : View.Filters.Segment is not null ? "active members" : "active profiles";
            var of = $"of {_stats!.Denominator:N0} {denominator}";
            var status = Targets.StatusOf(_stats.CompletionRate, _goal?.TargetRate);
            return status == TargetStatus.None ? of : $"{status.Label()} · target {_goal!.TargetRate:0.#}% · {of}";
        }
    }

    private Color RateColor => Targets.StatusOf(_stats!.CompletionRate, _goal?.TargetRate) switch
    {
        TargetStatus.OnTrack => Color.Success,
        TargetStatus.Behind => Color.Warning,
        _ => Color.Default,
    };

    private KpiChange? Change(Func<GoalStats, double> figure) =>
        _previous is null ? null : KpiChange.Relative(figure(_stats!), figure(_previous), View.AgainstLabel);

    private KpiChange? RateChange => _previous is null ? null : KpiChange.Points(_stats!.CompletionRate, _previous.CompletionRate, View.AgainstLabel);

    private KpiChange? TimeChange => _previous?.MedianTimeToConvertSeconds is { } before && _stats!.MedianTimeToConvertSeconds is { } now
        ? KpiChange.Relative(now, before, View.AgainstLabel, neutral: true)
        : null;

    private IReadOnlyList<(string, string)> ExportItems
    {
        get
        {
            var query = View.ExportQuery();
            return
            [
                ("Trend", $"exports/goals/{Id}/trend.csv?{query}"),
                ("Breakdowns", $"exports/goals/{Id}/breakdowns.csv?{query}"),
                ("Completions", $"exports/goals/{Id}/completions.csv?{query}"),
            ];
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        ReadAddress();
        if (_goal?.Id != Id)
        {
            await LoadGoalAsync();
            if (_notFound)
            {
                return;
            }
            _options = await Analytics.FilterChoicesAsync();
            // A short tick: a running backfill shows its progress.
            StartLiveRefresh(TimeSpan.FromMilliseconds(700));
        }
        await LoadStatsAsync();
    }

    private async Task LoadGoalAsync()
    {
        var found = await GoalService.GetAsync(Id);
        if (found is not { } item)
        {
            _notFound = true;
            return;
        }
        (_goal, _campaigns) = item;
        _campaignIds = await Campaigns.IdsByKeyAsync();
        _funnels = await Funnels.UsingGoalAsync(Id);
        _breadcrumbs = [new BreadcrumbItem("Goals", "goals"), new BreadcrumbItem(_goal.Name, null, disabled: true)];
    }

    private async Task LoadStatsAsync()
    {
        await LoadFiguresAsync(async () =>
        {
            // The two periods are independent reads: side by side they take as long as the longer one.
            var current = Analytics.StatsAsync(Id, View.Query);
            var previous = Analytics.StatsAsync(Id, View.Query.Previous(), withBreakdowns: false);
            await Task.WhenAll(current, previous);
            (_stats, _previous) = (current.Result, previous.Result);
        }, "Showing the goal without filters.");
        if (_completionsTable is not null)
        {
            await _completionsTable.ReloadServerData();
        }
        _ = LoadInterestsAsync();
    }

    // Converter interests scan more rows than the rest of the page: they fill in after it.
    private async Task LoadInterestsAsync()
    {
        var cts = new CancellationTokenSource();
        Interlocked.Exchange(ref _interestsCts, cts).Cancel();
        _interestsLoading = true;
        try
        {
            var interests = await Analytics.InterestsAsync(Id, View.Query, ct: cts.Token);
            if (!cts.IsCancellationRequested)
            {
                _interests = interests;
                _interestsLoading = false;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // A newer view asked for its own.
        }
    }

    private async Task<TableData<CompletionRow>> LoadCompletionsAsync(TableState state, CancellationToken ct)
    {
        var (rows, total) = await Analytics.CompletionsAsync(Id, View.Query, state.Page * state.PageSize, state.PageSize, ct);
        return new TableData<CompletionRow> { Items = rows, TotalItems = total };
    }

    private string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Analytics.TimeZone).ToString("d MMM yyyy HH:mm");

    protected override Task OnTickAsync()
    {
        if (_goal?.IsEvaluating == true)
        {
            _progress = Evaluation.ProgressOf(Id);
            StateHasChanged();
        }
        return Task.CompletedTask;
    }

    protected override async Task RefreshAsync()
    {
        if (Interlocked.Exchange(ref _goalChanged, 0) == 1)
        {
            await LoadGoalAsync();
        }
        await LoadStatsAsync();
    }

    protected override void OnChanges(IReadOnlyList<Change> changes)
    {
        // Its backfill finished, or someone changed it: the goal itself is read again.
        if (changes.Any(c => c.Kind == ChangeKind.GoalResults && c.Goals.Contains(Id) || c.Kind == ChangeKind.Definitions && c.Tables.Contains("goals")))
        {
            Interlocked.Exchange(ref _goalChanged, 1);
        }
    }

    private async Task SetCampaignLinkAsync((string Key, bool Linked) change)
    {
        if (!_campaignIds.TryGetValue(change.Key, out var campaignId))
        {
            return;
        }
        await Campaigns.SetLinkAsync(Id, campaignId, change.Linked);
        Snackbar.Add(change.Linked ? $"Linked to {change.Key}." : $"Unlinked from {change.Key}.", Severity.Success);
        await LoadGoalAsync();
    }

    private async Task SetStatusAsync(GoalStatus status)
    {
        if (status == GoalStatus.Archived && _funnels.Count > 0 && await Dialogs.ShowMessageBoxAsync("Archive a funnel step?",
                $"This goal is a step of {string.Join(", ", _funnels.Select(f => $"\"{f.Name}\""))}. Archived, it is no longer evaluated against new data, so profiles will stop at that step until it is restored.",
                yesText: "Archive", cancelText: "Cancel") != true)
        {
            return;
        }
        var user = (await AuthState).User.Identity?.Name ?? "";
        try
        {
            await GoalService.SetStatusAsync(Id, status, user, _goal!.Version);
            Snackbar.Add(status == GoalStatus.Archived ? "Archived. Its data is kept." : "Restored. Re-evaluating its history…", Severity.Success);
        }
        catch (DomainValidationException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (ConcurrencyConflictException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        await LoadGoalAsync();
    }

    private async Task DeleteAsync()
    {
        var parameters = new DialogParameters<DeleteGoalDialog> { { d => d.GoalName, _goal!.Name } };
        var dialog = await Dialogs.ShowAsync<DeleteGoalDialog>("Delete goal", parameters);
        var result = await dialog.Result;
        if (result is null || result.Canceled)
        {
            return;
        }
        try
        {
            await GoalService.DeleteAsync(Id);
            Snackbar.Add($"Deleted \"{_goal.Name}\".", Severity.Success);
            Navigation.NavigateTo("goals");
        }
        catch (DomainValidationException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    public override void Dispose()
    {
        _interestsCts.Cancel();
        base.Dispose();
    }
}
