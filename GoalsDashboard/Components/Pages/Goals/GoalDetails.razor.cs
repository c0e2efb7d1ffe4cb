using GoalsDashboard.Analytics;
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
    private GoalOverview? _overview;
    private double? _progress;
    private bool _notFound;
    private object _chartOptions = new { };
    private object _chartSeries = Array.Empty<object>();
    private List<BreadcrumbItem> _breadcrumbs = [];
    private Timer? _timer;
    private int _refreshQueued;

    [Inject] private GoalService GoalService { get; set; } = default!;
    [Inject] private EvaluationService Evaluation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private Workspace Workspace { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private string RateDetail => _goal?.TargetRate is { } target
        ? $"{(_overview!.CompletionRate >= target ? "On track" : "Behind")} · target {target:0.#}% · of {_overview.ActiveProfiles:N0} active"
        : $"of {_overview!.ActiveProfiles:N0} active profiles";

    private Color RateColor => _goal?.TargetRate is { } target ? (_overview!.CompletionRate >= target ? Color.Success : Color.Warning) : Color.Default;

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        Evaluation.ResultsChanged -= OnResultsChanged;
        Evaluation.ResultsChanged += OnResultsChanged;
        // While a backfill runs, show its progress; results arrive through ResultsChanged.
        _timer ??= new Timer(_ => InvokeAsync(TickAsync), null, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(700));
    }

    private async Task LoadAsync()
    {
        var found = await GoalService.GetAsync(Id);
        if (found is not { } item)
        {
            _notFound = true;
            return;
        }
        (_goal, _campaigns) = item;
        _overview = await GoalService.OverviewAsync(Id);
        _breadcrumbs = [new BreadcrumbItem("Goals", "goals"), new BreadcrumbItem(_goal.Name, null, disabled: true)];
        var period = Period.LastDays(30, Clock.GetUtcNow(), Workspace.TimeZone);
        var days = Enumerable.Range(0, period.Days).Select(d => period.From.AddDays(d).ToString("d MMM")).ToArray();
        _chartOptions = new
        {
            chart = new { type = "bar", height = 260, toolbar = new { show = false } },
            xaxis = new { categories = days, labels = new { rotate = -45, hideOverlappingLabels = true } },
            dataLabels = new { enabled = false },
            colors = new[] { "#4f46e5" },
            plotOptions = new { bar = new { borderRadius = 3, columnWidth = "70%" } },
            yaxis = new { labels = new { } },
        };
        _chartSeries = new[] { new { name = "Completions", data = _overview.DailyCompletions } };
    }

    private async Task TickAsync()
    {
        if (_goal is null)
        {
            return;
        }
        if (_goal.IsEvaluating)
        {
            _progress = Evaluation.ProgressOf(Id);
            StateHasChanged();
        }
        if (Interlocked.Exchange(ref _refreshQueued, 0) == 1)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }

    // Many events can arrive per second: mark a refresh and let the timer coalesce them.
    private void OnResultsChanged(IReadOnlyCollection<Guid> goals)
    {
        if (goals.Contains(Id))
        {
            Interlocked.Exchange(ref _refreshQueued, 1);
        }
    }

    private async Task SetStatusAsync(GoalStatus status)
    {
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
        await LoadAsync();
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

    public void Dispose()
    {
        Evaluation.ResultsChanged -= OnResultsChanged;
        _timer?.Dispose();
    }
}
