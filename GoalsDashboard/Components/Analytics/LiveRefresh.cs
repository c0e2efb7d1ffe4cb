using GoalsDashboard.Data.Changes;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Analytics;

/// <summary>
/// A page's live refresh, without a renderer: it hears every applied change, and on each tick reloads the page's
/// figures when something relevant changed and the last load is at least <see cref="RefreshEvery"/> old, so that a
/// busy ingestion does not re-run every query of every open page per batch.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private readonly AnalyticsService _analytics;
    private readonly TimeProvider _clock;
    private readonly Func<Task> _refresh;
    private readonly Func<Task> _tick;
    private readonly ITimer _timer;
    private int _changed;
    private DateTimeOffset _loadedAt;

    /// <param name="tick">How often to look (a page with a running backfill looks more often, for its progress).</param>
    /// <param name="refresh">Reloads the figures (on the page's renderer).</param>
    /// <param name="onTick">Runs on every tick (progress bars).</param>
    /// <param name="relevant">Which changes call for a reload; every change when null.</param>
    public LiveRefresh(AnalyticsService analytics, TimeProvider clock, TimeSpan tick, Func<Task> refresh, Func<Task>? onTick = null,
        Func<IReadOnlyList<Change>, bool>? relevant = null)
    {
        _analytics = analytics;
        _clock = clock;
        _refresh = refresh;
        _tick = onTick ?? (() => Task.CompletedTask);
        Relevant = relevant ?? (_ => true);
        _loadedAt = clock.GetUtcNow();
        analytics.DataChanged += OnChanged;
        _timer = clock.CreateTimer(_ => _ = TickAsync(), null, tick, tick);
    }

    private Func<IReadOnlyList<Change>, bool> Relevant { get; }

    /// <summary>Whether a reload is waiting for its turn.</summary>
    public bool Pending => Volatile.Read(ref _changed) == 1;

    /// <summary>Call when the figures were (re)loaded some other way (the view changed, say).</summary>
    public void MarkLoaded() => _loadedAt = _clock.GetUtcNow();

    /// <summary>One tick: runs the page's tick, then reloads if a relevant change waits and the last load is old enough.</summary>
    public async Task TickAsync()
    {
        await _tick();
        if (_clock.GetUtcNow() - _loadedAt >= RefreshEvery && Interlocked.Exchange(ref _changed, 0) == 1)
        {
            MarkLoaded();
            await _refresh();
        }
    }

    private void OnChanged(IReadOnlyList<Change> changes)
    {
        if (Relevant(changes))
        {
            Interlocked.Exchange(ref _changed, 1);
        }
    }

    public void Dispose()
    {
        _analytics.DataChanged -= OnChanged;
        _timer.Dispose();
    }
}
