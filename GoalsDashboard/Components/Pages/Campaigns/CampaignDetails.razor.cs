using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Components.Campaigns;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace GoalsDashboard.Components.Pages.Campaigns;

public partial class CampaignDetails
{
    private Campaign? _campaign;
    private FilterChoices? _options;
    private IReadOnlyList<LinkedGoal> _linked = [];
    private IReadOnlyList<(Guid Id, string Name)> _unlinked = [];
    private IReadOnlyList<AudienceRow>? _audience;
    private IReadOnlyList<CompareTable.Row> _rows = [];
    private bool _notFound;
    private bool _sinceStart;
    private Guid? _linkChoice;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Inject] private CampaignService Campaigns { get; set; } = default!;
    [Inject] private GoalService Goals { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private int AudienceSize => _audience is { Count: > 0 } ? _audience[^1].Size : 0;

    /// <summary>The campaign's own view: this campaign as the filter, the rest as in the address.</summary>
    private AnalyticsQuery Query => View.Query with { Filters = View.Filters with { Campaign = _campaign!.Key } };

    /// <summary>The same view on a goal's page: this campaign as the filter.</summary>
    private string GoalQuery => "?" + (View with { Filters = Query.Where }).AddressQuery();

    private string CompareHref => $"goals/compare?ids={string.Join(',', _rows.Select(r => r.Stats.GoalId))}&{GoalQuery.TrimStart('?')}";

    protected override async Task OnParametersSetAsync()
    {
        if (_campaign?.Id != Id)
        {
            _campaign = await Campaigns.GetAsync(Id);
            if (_campaign is null)
            {
                _notFound = true;
                return;
            }
            _breadcrumbs = [new BreadcrumbItem("Campaigns", "campaigns"), new BreadcrumbItem(_campaign.Name, null, disabled: true)];
            _options = await Analytics.FilterChoicesAsync();
            StartLiveRefresh(TimeSpan.FromSeconds(1));
        }
        ReadAddress();
        _sinceStart = Range is null && From is null && To is null;
        await LoadAsync();
    }

    protected override Task RefreshAsync() => LoadAsync();

    private Task LoadAsync() => LoadFiguresAsync(async () =>
    {
        if (_sinceStart)
        {
            // A campaign is judged over its own run, not the last 30 days: from where it started (an import can move that).
            var since = await Campaigns.SinceStartAsync(_campaign!);
            View = View with { Preset = PeriodPreset.Custom, From = since.From, To = since.To };
        }
        _linked = await Campaigns.LinkedGoalsAsync(Id);
        _unlinked = (await Goals.NamesAsync()).Where(g => _linked.All(l => l.Id != g.Id)).Select(g => (g.Id, g.Name)).ToList();
        _audience = await Analytics.AudienceTrendAsync(_campaign!.Key, Query);
        var stats = await Analytics.CompareAsync(_linked.Select(g => g.Id).ToList(), Query);
        _rows = stats.Select(s => (Stats: s, Goal: _linked.First(g => g.Id == s.GoalId)))
            .Select((x, i) => new CompareTable.Row(i, x.Goal.Name, x.Goal.TargetRate, x.Stats)).ToList();
    }, "Showing the campaign without its other filters.");

    private object AudienceOptions => new
    {
        chart = new { type = "line", height = 280, toolbar = new { show = false }, zoom = new { enabled = false }, animations = new { enabled = false } },
        labels = (_audience ?? []).Select(a => ChartLabels.Of(a.Date, View.Interval)).ToArray(),
        xaxis = new { tickAmount = 12, labels = new { rotate = -45, hideOverlappingLabels = true } },
        stroke = new { width = new[] { 0, 3 }, curve = "stepline" },
        colors = new[] { ChartLabels.Palette[1], ChartLabels.Palette[0] },
        dataLabels = new { enabled = false },
        yaxis = new object[]
        {
            new { title = new { text = "Entered" }, min = 0, forceNiceScale = true },
            new { opposite = true, title = new { text = "Audience size" }, min = 0, forceNiceScale = true },
        },
        legend = new { position = "top" },
    };

    private object AudienceSeries => new object[]
    {
        new { name = "Entered", type = "column", data = (_audience ?? []).Select(a => a.Entered).ToArray() },
        new { name = "Audience size", type = "line", data = (_audience ?? []).Select(a => a.Size).ToArray() },
    };

    private async Task LinkChosenAsync(Guid? goalId)
    {
        _linkChoice = goalId;
        if (goalId is { } id)
        {
            await SetLinkAsync(id, true);
        }
        // Back to the placeholder, ready for the next goal.
        _linkChoice = null;
    }

    private async Task SetLinkAsync(Guid goalId, bool linked)
    {
        await Campaigns.SetLinkAsync(goalId, Id, linked);
        var name = (await Goals.GetAsync(goalId))?.Goal.Name ?? "The goal";
        Snackbar.Add(linked ? $"\"{name}\" is linked to this campaign." : $"\"{name}\" is no longer linked to this campaign.", Severity.Success);
        await LoadAsync();
    }

    private async Task EditAsync(AuthenticationState auth)
    {
        var dialog = await Dialogs.ShowAsync<CampaignEditDialog>("Edit campaign",
            new DialogParameters<CampaignEditDialog> { { d => d.Campaign, _campaign }, { d => d.UserName, auth.User.Identity?.Name ?? "" } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: Campaign saved })
        {
            _campaign = saved;
            _breadcrumbs = [new BreadcrumbItem("Campaigns", "campaigns"), new BreadcrumbItem(saved.Name, null, disabled: true)];
            Snackbar.Add("Campaign saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task ImportAsync()
    {
        var dialog = await Dialogs.ShowAsync<AudienceImportDialog>($"Import an audience into {_campaign!.Name}",
            new DialogParameters<AudienceImportDialog> { { d => d.CampaignId, Id } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: int imported })
        {
            Snackbar.Add($"{imported:N0} profiles imported into the audience.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this campaign?",
            $"\"{_campaign!.Name}\" and its audience of {AudienceSize:N0} are deleted, and its goals are unlinked. Events keep their campaign field; creating a campaign with the key {_campaign.Key} again rebuilds the audience from them (imported entries are lost).",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await Campaigns.DeleteAsync(Id);
            Snackbar.Add($"Campaign \"{_campaign.Name}\" deleted.", Severity.Success);
            Navigation.NavigateTo("campaigns");
        }
    }
}
