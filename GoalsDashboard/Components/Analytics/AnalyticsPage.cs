using GoalsDashboard.Analytics;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;

namespace GoalsDashboard.Components.Analytics;

/// <summary>
/// What every analytics page shares: its view (period, interval, filters) read from the address and written back
/// to it, loading with a fallback when a filter names something gone, and a <see cref="LiveRefresh"/>.
/// </summary>
public abstract class AnalyticsPage : ComponentBase, IDisposable
{
    private LiveRefresh? _live;

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
    /// Loads the page's figures with the progress bar on. A filter the data no longer has (a deleted segment in an
    /// old link, say) is named in <see cref="Problem"/> with <paramref name="fallback"/>, and the figures load again
    /// without filters: <paramref name="load"/> reads <see cref="View"/> when it runs.
    /// </summary>
    protected async Task LoadFiguresAsync(Func<Task> load, string fallback)
    {
        Loading = true;
        _live?.MarkLoaded();
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

    /// <summary>Starts the live refresh: <see cref="RefreshAsync"/> runs after new changes (at most every two seconds).</summary>
    protected void StartLiveRefresh(TimeSpan tick) =>
        _live ??= new LiveRefresh(Analytics, Clock, tick,
            () => InvokeAsync(async () =>
            {
                await RefreshAsync();
                StateHasChanged();
            }),
            () => InvokeAsync(OnTickAsync), OnChanges);

    /// <summary>Reloads the figures after new changes.</summary>
    protected abstract Task RefreshAsync();

    /// <summary>Runs on every tick of the live refresh (progress bars, say).</summary>
    protected virtual Task OnTickAsync() => Task.CompletedTask;

    /// <summary>Hears every applied change (on a background thread); whether it calls for a reload.</summary>
    protected virtual bool OnChanges(IReadOnlyList<Change> changes) => true;

    public virtual void Dispose()
    {
        _live?.Dispose();
        GC.SuppressFinalize(this);
    }
}
