using GoalsDashboard.Analytics;
using GoalsDashboard.Api;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GoalsDashboard.Components.Pages.Goals;

public partial class GoalCompare
{
    private readonly List<BreadcrumbItem> _breadcrumbs = [new("Goals", "goals"), new("Compare", null, disabled: true)];
    private IReadOnlyList<GoalListItem>? _goals;
    private FilterChoices? _choices;
    private IReadOnlyList<Guid> _ids = [];
    private IReadOnlyList<CompareTable.Row> _rows = [];
    private bool _showRate;

    [Inject] private GoalService GoalService { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "ids")] public string? Ids { get; set; }

    private IReadOnlyList<GoalListItem> Selected => _ids.Select(id => _goals?.FirstOrDefault(g => g.Id == id)).OfType<GoalListItem>().ToList();

    private IReadOnlyList<(string, string)> ExportItems
    {
        get
        {
            var query = $"ids={string.Join(',', _ids)}&{View.ExportQuery()}";
            return [("Table", $"exports/compare/table.csv?{query}"), ("Trend", $"exports/compare/trend.csv?{query}")];
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        ReadAddress();
        _ids = CompareIds.Parse(Ids);
        if (_goals is null)
        {
            _goals = await GoalService.ListAsync();
            _choices = await Analytics.FilterChoicesAsync();
            StartLiveRefresh(TimeSpan.FromSeconds(1));
        }
        await LoadAsync();
    }

    private Task LoadAsync() => LoadFiguresAsync(async () =>
    {
        var stats = await Analytics.CompareAsync(_ids, View.Query);
        var goals = Selected.ToDictionary(g => g.Id);
        _rows = stats.Select((s, i) => new CompareTable.Row(i, goals.TryGetValue(s.GoalId, out var g) ? g.Name : "?", goals.GetValueOrDefault(s.GoalId)?.TargetRate, s)).ToList();
    }, "Comparing without filters.");

    private object TrendOptions => new
    {
        chart = new { type = "line", height = 300, toolbar = new { show = false }, zoom = new { enabled = false }, animations = new { enabled = false } },
        labels = _rows.Count == 0 ? [] : _rows[0].Stats.Trend.Select(t => ChartLabels.Of(t.Date, View.Interval)).ToArray(),
        xaxis = new { tickAmount = 12, labels = new { rotate = -45, hideOverlappingLabels = true } },
        stroke = new { width = 3, curve = "smooth" },
        dataLabels = new { enabled = false },
        colors = ChartLabels.Palette,
        legend = new { position = "top", horizontalAlign = "left" },
        yaxis = new { min = 0, forceNiceScale = true, decimalsInFloat = _showRate ? 1 : 0 },
    };

    private object TrendSeries => _rows.Select(r => new
    {
        name = r.Name,
        data = r.Stats.Trend.Select(t => _showRate ? ChartLabels.Rate(t.CompletionRate) : t.Completions).ToArray(),
    }).ToArray();

    private Task AddAsync(Guid? id) => id is { } added ? SetIdsAsync([.. _ids, added]) : Task.CompletedTask;

    private Task RemoveAsync(Guid id) => SetIdsAsync(_ids.Where(i => i != id).ToList());

    private Task SetIdsAsync(IReadOnlyList<Guid> ids)
    {
        if (ids.Count > AnalyticsService.MaxCompareGoals || ids.Contains(Guid.Empty))
        {
            return Task.CompletedTask;
        }
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("ids", string.Join(',', ids)));
        return Task.CompletedTask;
    }

    protected override Task RefreshAsync() => LoadAsync();
}
