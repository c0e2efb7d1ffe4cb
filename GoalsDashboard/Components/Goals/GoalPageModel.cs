using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Goals;

/// <summary>
/// What a goal's page shows and how it loads, without a renderer: the goal with its campaigns and funnels, the
/// period's figures against the previous period's, converter interests (which fill in after the rest), the
/// backfill's progress, and which changes call for the goal itself to be read again.
/// </summary>
public sealed class GoalPageModel(GoalService goals, CampaignService campaigns, FunnelService funnels, AnalyticsService analytics, EvaluationService evaluation)
{
    private CancellationTokenSource _interests = new();
    private int _goalChanged;

    public Guid Id { get; private set; }
    public Goal? Goal { get; private set; }
    public bool NotFound { get; private set; }
    public IReadOnlyList<string> Campaigns { get; private set; } = [];
    public IReadOnlyDictionary<string, int> CampaignIds { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<(int Id, string Name)> Funnels { get; private set; } = [];
    public FilterChoices? Options { get; private set; }
    public GoalStats? Stats { get; private set; }
    public GoalStats? Previous { get; private set; }
    public IReadOnlyList<ConverterInterest> Interests { get; private set; } = [];
    public bool InterestsLoading { get; private set; }

    /// <summary>The running backfill's progress (0–1), null when unknown.</summary>
    public double? Progress { get; private set; }

    /// <summary>Reads the goal and what it links to; false when there is no such goal.</summary>
    public async Task<bool> LoadGoalAsync(Guid id)
    {
        Id = id;
        if (await goals.GetAsync(id) is not { } found)
        {
            NotFound = true;
            return false;
        }
        (Goal, Campaigns) = found;
        CampaignIds = await campaigns.IdsByKeyAsync();
        Funnels = await funnels.UsingGoalAsync(id);
        Options ??= await analytics.FilterChoicesAsync();
        return true;
    }

    /// <summary>The period's figures and the previous period's, side by side (independent reads: as long as the longer one).</summary>
    public async Task LoadFiguresAsync(AnalyticsQuery query)
    {
        var current = analytics.StatsAsync(Id, query);
        var previous = analytics.StatsAsync(Id, query.Previous(), withBreakdowns: false);
        await Task.WhenAll(current, previous);
        (Stats, Previous) = (current.Result, previous.Result);
    }

    /// <summary>Converter interests scan more rows than the rest of the page: they fill in after it, and a newer view cancels an older one's.</summary>
    public async Task LoadInterestsAsync(AnalyticsQuery query, Func<Task> changed)
    {
        var cts = new CancellationTokenSource();
        Interlocked.Exchange(ref _interests, cts).Cancel();
        InterestsLoading = true;
        try
        {
            var interests = await analytics.InterestsAsync(Id, query, ct: cts.Token);
            if (!cts.IsCancellationRequested)
            {
                (Interests, InterestsLoading) = (interests, false);
                await changed();
            }
        }
        catch (OperationCanceledException)
        {
            // A newer view asked for its own.
        }
    }

    public Task<(IReadOnlyList<CompletionRow> Rows, int Total)> CompletionsAsync(AnalyticsQuery query, int skip, int take, CancellationToken ct) =>
        analytics.CompletionsAsync(Id, query, skip, take, ct);

    /// <summary>Every change calls for fresh figures; the goal itself is read again when its backfill finished or someone changed it.</summary>
    public bool Hears(IReadOnlyList<Change> changes)
    {
        if (changes.Any(c => c.Kind == ChangeKind.GoalResults && c.Goals.Contains(Id) || c.Kind == ChangeKind.Definitions && c.Tables.Contains("goals")))
        {
            Interlocked.Exchange(ref _goalChanged, 1);
        }
        return true;
    }

    /// <summary>Reads the figures again, and the goal too when a change said so.</summary>
    public async Task RefreshAsync(AnalyticsQuery query)
    {
        if (Interlocked.Exchange(ref _goalChanged, 0) == 1)
        {
            await LoadGoalAsync(Id);
        }
        await LoadFiguresAsync(query);
    }

    /// <summary>Follows a running backfill's progress; true when there is one to show.</summary>
    public bool Tick()
    {
        if (Goal?.IsEvaluating != true)
        {
            return false;
        }
        Progress = evaluation.ProgressOf(Id);
        return true;
    }

    /// <summary>The CSV exports of this view.</summary>
    public IReadOnlyList<(string, string)> ExportItems(AnalyticsView view)
    {
        var query = view.ExportQuery();
        return [("Trend", $"exports/goals/{Id}/trend.csv?{query}"), ("Breakdowns", $"exports/goals/{Id}/breakdowns.csv?{query}"),
            ("Completions", $"exports/goals/{Id}/completions.csv?{query}")];
    }

    public void Dispose() => _interests.Cancel();
}
