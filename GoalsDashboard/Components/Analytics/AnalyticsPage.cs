using GoalsDashboard.Analytics;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;

namespace GoalsDashboard.Components.Analytics;

/// <summary>
/// What every analytics page shares: its view (period, interval, filters) read from the address and
/// written back to it, and a live refresh that coalesces new results into at most one reload every
/// two seconds, so that a busy ingestion does not re-run every query of every open page per event.
/// </summary>
public abstract class AnalyticsPage : ComponentBase, IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private Timer? _timer;
    private int _dataChanged;
    private DateTimeOffset _loadedAt;

    [Inject] protected AnalyticsService Analytics { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] protected TimeProvider Clock { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "range")] public string? Range { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "interval")] public string? Interval { get; set; }
    [SupplyParameterFromQuery(Name = "site")] public string? Site { get; set; }
    [SupplyParameterFromQuery(Name = "channel")] public string? Channel { get; set; }
    [SupplyParameterFromQuery(Name = "campaign")] public string? Campaign { get; set; }
    [SupplyParameterFromQuery(Name = "segment")] public string? Segment { get; set; }

    protected AnalyticsView View { get; set; } = default!;

    /// <summary>What could not be shown as asked (a bad address, a filter naming something gone), for a warning.</summary>
    protected string? Problem { get; set; }

    /// <summary>Whether figures are loading (the page's thin progress bar).</summary>
    protected bool Loading { get; private set; }

    /// <summary>
    /// Loads the page's figures with the progress bar on. A filter the data no longer has (a deleted
    /// segment in an old link, say) is named in <see cref="Problem"/> with <paramref name="fallback"/>,
    /// and the figures load again without filters: <paramref name="load"/> reads <see cref="View"/> when it runs.
    /// </summary>
    protected async Task LoadFiguresAsync(Func<Task> load, string fallback)
    {
        Loading = true;
        MarkLoaded();
        try
        {
            try
            {
                await load();
            }
            catch (AnalyticsQueryException ex)
            {
                Problem = $"{ex.Message} {fallback}";
                View = View with { Filters = AnalyticsFilters.None };
                await load();
            }
        }
        finally
        {
            Loading = false;
        }
    }

    /// <summary>Reads the view from the address.</summary>
    protected void ReadAddress()
    {
        View = AnalyticsView.FromAddress(Range, From, To, Interval, Site, Channel, Campaign, Segment, Analytics.Today, out var problem);
        Problem = problem;
    }

    /// <summary>Puts a changed view in the address; the page reloads from there, so back and forward work.</summary>
    protected Task ChangeViewAsync(AnalyticsView view)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(view.ToAddress()));
        return Task.CompletedTask;
    }

    /// <summary>Starts listening for new results; <see cref="RefreshAsync"/> runs when some arrived.</summary>
    protected void StartLiveRefresh(TimeSpan tick)
    {
        if (_timer is not null)
        {
            return;
        }
        Analytics.DataChanged += OnDataChanged;
        _timer = new Timer(_ => InvokeAsync(TickAsync), null, tick, tick);
    }

    /// <summary>Call when the page's figures were (re)loaded.</summary>
    protected void MarkLoaded() => _loadedAt = Clock.GetUtcNow();

    /// <summary>Reloads the figures after new results.</summary>
    protected abstract Task RefreshAsync();

    /// <summary>Runs on every tick of the live timer (progress bars, say).</summary>
    protected virtual Task OnTickAsync() => Task.CompletedTask;

    private async Task TickAsync()
    {
        await OnTickAsync();
        if (Clock.GetUtcNow() - _loadedAt >= RefreshEvery && Interlocked.Exchange(ref _dataChanged, 0) == 1)
        {
            await RefreshAsync();
            StateHasChanged();
        }
    }

    private void OnDataChanged(IReadOnlyList<Change> changes)
    {
        OnChanges(changes);
        Interlocked.Exchange(ref _dataChanged, 1);
    }

    /// <summary>Hears every applied change (on a background thread), before the next refresh.</summary>
    protected virtual void OnChanges(IReadOnlyList<Change> changes)
    {
    }

    public virtual void Dispose()
    {
        Analytics.DataChanged -= OnDataChanged;
        _timer?.Dispose();
        GC.SuppressFinalize(this);
    }
}
