using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Funnels;

/// <summary>What a funnel's page shows and how it loads, without a renderer: the funnel, its figures for a view and a split, and what its cards say.</summary>
public sealed class FunnelPageModel(FunnelService funnels, AnalyticsService analytics)
{
    public int Id { get; private set; }
    public FunnelView? View { get; private set; }
    public bool NotFound { get; private set; }
    public FilterChoices? Options { get; private set; }
    public FunnelStats? Stats { get; private set; }
    public FunnelSplit Split { get; set; }

    public async Task<bool> LoadFunnelAsync(int id)
    {
        Id = id;
        View = await funnels.GetAsync(id);
        NotFound = View is null;
        Options ??= View is null ? null : await analytics.FilterChoicesAsync();
        return View is not null;
    }

    public async Task LoadFiguresAsync(AnalyticsQuery query) => Stats = await analytics.FunnelStatsAsync(Id, query, Split);

    /// <summary>The split as the address spells it.</summary>
    public static FunnelSplit SplitOf(string? slug) => slug switch { "segment" => FunnelSplit.Segment, "campaign" => FunnelSplit.Campaign, _ => FunnelSplit.None };

    public static string? SlugOf(FunnelSplit split) => split switch { FunnelSplit.Segment => "segment", FunnelSplit.Campaign => "campaign", _ => null };

    /// <summary>The steps and their time limits, in words.</summary>
    public string Subtitle
    {
        get
        {
            var windows = View!.Steps.Where(s => s.Window is not null).Select(s => $"step {s.Position + 1} within {Describe(s.Window!)} of step {s.Position}").ToList();
            if (View.Funnel.Window is { } w)
            {
                windows.Insert(0, $"all steps within {Describe(w)} of step 1");
            }
            return $"{View.Steps.Count} steps" + (windows.Count == 0 ? ", no time limits" : ": " + string.Join("; ", windows));
        }
    }

    public static string Describe(FunnelWindow w) => $"{w.Amount} {(w.Unit == WindowUnit.Hours ? "hour" : "day")}{(w.Amount == 1 ? "" : "s")}";

    /// <summary>The step most profiles left the funnel at: the share lost and between which steps.</summary>
    public (string Value, string Detail) BiggestDrop
    {
        get
        {
            // Nullable: MaxBy of no value tuples throws (a funnel nobody entered in the period).
            var worst = Stats!.Steps.Skip(1).Select((s, i) => ((FunnelStepStats Step, int Index)?)(s, i + 1)).Where(x => x!.Value.Step.DropOff > 0)
                .MaxBy(x => 100 - x!.Value.Step.PercentOfPrevious);
            return worst is not { } drop
                ? ("—", "nobody dropped off")
                : ($"{100 - drop.Step.PercentOfPrevious:0.0}%", $"{Stats.Steps[drop.Index - 1].Name} → {drop.Step.Name}");
        }
    }

    public IReadOnlyList<(string, string)> ExportItems(AnalyticsView view)
    {
        var query = view.ExportQuery() + (Split == FunnelSplit.None ? "" : $"&split={SlugOf(Split)}");
        return [("Steps", $"exports/funnels/{Id}/steps.csv?{query}"), ("Trend", $"exports/funnels/{Id}/trend.csv?{query}")];
    }

    /// <summary>Who stopped before step <paramref name="step"/> (1-based), and the window they had to reach it in.</summary>
    public async Task<(IReadOnlyList<DropOffProfile> Profiles, string From, string To, string? Window)> DropOffAsync(AnalyticsQuery query, int step)
    {
        var sample = await analytics.DropOffSampleAsync(Id, query, step);
        var window = View!.Steps[step - 1].Window;
        return (sample, Stats!.Steps[step - 2].Name, Stats.Steps[step - 1].Name, window is null ? null : Describe(window));
    }
}
