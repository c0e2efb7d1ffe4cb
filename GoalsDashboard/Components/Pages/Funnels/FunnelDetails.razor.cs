using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Components.Funnels;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GoalsDashboard.Components.Pages.Funnels;

public partial class FunnelDetails
{
    private FunnelView? _view;
    private FilterChoices? _options;
    private FunnelStats? _stats;
    private FunnelSplit _split;
    private bool _notFound;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Inject] private FunnelService Funnels { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    [SupplyParameterFromQuery(Name = "split")] public string? SplitParameter { get; set; }

    private string Subtitle
    {
        get
        {
            var windows = _view!.Steps.Where(s => s.Window is not null).Select(s => $"step {s.Position + 1} within {Describe(s.Window!)} of step {s.Position}").ToList();
            if (_view.Funnel.Window is { } w)
            {
                windows.Insert(0, $"all steps within {Describe(w)} of step 1");
            }
            return $"{_view.Steps.Count} steps" + (windows.Count == 0 ? ", no time limits" : ": " + string.Join("; ", windows));
        }
    }

    private static string Describe(FunnelWindow w) => $"{w.Amount} {(w.Unit == WindowUnit.Hours ? "hour" : "day")}{(w.Amount == 1 ? "" : "s")}";

    private (string Value, string Detail) BiggestDrop
    {
        get
        {
            // Nullable: MaxBy of no value tuples throws (a funnel nobody entered in the period).
            var worst = _stats!.Steps.Skip(1).Select((s, i) => ((FunnelStepStats Step, int Index)?)(s, i + 1)).Where(x => x!.Value.Step.DropOff > 0)
                .MaxBy(x => 100 - x!.Value.Step.PercentOfPrevious);
            return worst is not { } drop
                ? ("—", "nobody dropped off")
                : ($"{100 - drop.Step.PercentOfPrevious:0.0}%", $"{_stats.Steps[drop.Index - 1].Name} → {drop.Step.Name}");
        }
    }

    private IReadOnlyList<(string, string)> ExportItems
    {
        get
        {
            var query = View.ExportQuery() + (_split == FunnelSplit.None ? "" : $"&split={SplitSlug(_split)}");
            return [("Steps", $"exports/funnels/{Id}/steps.csv?{query}"), ("Trend", $"exports/funnels/{Id}/trend.csv?{query}")];
        }
    }

    private static string? SplitSlug(FunnelSplit split) => split switch { FunnelSplit.Segment => "segment", FunnelSplit.Campaign => "campaign", _ => null };

    protected override async Task OnParametersSetAsync()
    {
        ReadAddress();
        _split = SplitParameter switch { "segment" => FunnelSplit.Segment, "campaign" => FunnelSplit.Campaign, _ => FunnelSplit.None };
        if (_view?.Funnel.Id != Id)
        {
            _view = await Funnels.GetAsync(Id);
            if (_view is null)
            {
                _notFound = true;
                return;
            }
            _breadcrumbs = [new BreadcrumbItem("Funnels", "funnels"), new BreadcrumbItem(_view.Funnel.Name, null, disabled: true)];
            _options = await Analytics.FilterChoicesAsync();
            StartLiveRefresh(TimeSpan.FromSeconds(1));
        }
        await LoadAsync();
    }

    protected override Task RefreshAsync() => LoadAsync();

    private Task LoadAsync() => LoadFiguresAsync(async () => _stats = await Analytics.FunnelStatsAsync(Id, View.Query, _split),
        "Showing the funnel without filters.");

    private Task SplitChangedAsync(FunnelSplit split)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("split", SplitSlug(split)));
        return Task.CompletedTask;
    }

    private object ChartOptions => new
    {
        chart = new { type = "bar", height = 320, toolbar = new { show = false }, animations = new { enabled = false } },
        plotOptions = new { bar = new { borderRadius = 3, columnWidth = "55%", distributed = true, dataLabels = new { position = "top" } } },
        colors = ChartLabels.Palette,
        dataLabels = new { enabled = true, offsetY = -18, style = new { colors = new[] { "#374151" } } },
        legend = new { show = false },
        xaxis = new { categories = _stats!.Steps.Select((s, i) => $"{i + 1}. {s.Name}").ToArray(), labels = new { rotate = -30, trim = true } },
        yaxis = new { title = new { text = "Profiles" }, min = 0, forceNiceScale = true },
    };

    private object ChartSeries => new[] { new { name = "Profiles", data = _stats!.Steps.Select(s => s.Profiles).ToArray() } };

    private object TrendOptions => new
    {
        chart = new { type = "line", height = 280, toolbar = new { show = false }, zoom = new { enabled = false }, animations = new { enabled = false } },
        labels = _stats!.Trend.Select(t => ChartLabels.Of(t.Date, View.Interval)).ToArray(),
        xaxis = new { tickAmount = 12, labels = new { rotate = -45, hideOverlappingLabels = true } },
        stroke = new { width = new[] { 0, 3 } },
        colors = new[] { ChartLabels.Palette[1], ChartLabels.Palette[0] },
        dataLabels = new { enabled = false },
        yaxis = new object[]
        {
            new { title = new { text = "Entered" }, min = 0, forceNiceScale = true, decimalsInFloat = 0 },
            new { opposite = true, title = new { text = "First → last (%)" }, min = 0, max = 100, tickAmount = 4, decimalsInFloat = 0 },
        },
        legend = new { position = "top" },
    };

    private object TrendSeries => new object[]
    {
        new { name = "Entered", type = "column", data = _stats!.Trend.Select(t => t.Started).ToArray() },
        new { name = "First → last (%)", type = "line", data = _stats.Trend.Select(t => ChartLabels.Rate(t.ConversionRate)).ToArray() },
    };

    private async Task ShowDropOffAsync(int step)
    {
        var sample = await Analytics.DropOffSampleAsync(Id, View.Query, step);
        var window = _view!.Steps[step - 1].Window;
        await Dialogs.ShowAsync<DropOffDialog>($"Stopped after step {step - 1}", new DialogParameters<DropOffDialog>
        {
            { d => d.Profiles, sample },
            { d => d.From, _stats!.Steps[step - 2].Name },
            { d => d.To, _stats.Steps[step - 1].Name },
            { d => d.Window, window is null ? null : Describe(window) },
            { d => d.Zone, Analytics.TimeZone },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this funnel?", $"\"{_view!.Funnel.Name}\" is deleted; its goals and their data stay.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await Funnels.DeleteAsync(Id);
            Snackbar.Add($"Funnel \"{_view.Funnel.Name}\" deleted.", Severity.Success);
            Navigation.NavigateTo("funnels");
        }
    }
}
