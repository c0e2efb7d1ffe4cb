using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Campaigns;

/// <summary>
/// What a campaign's page shows and how it loads, without a renderer: the campaign, its linked and linkable goals,
/// its audience over the period and its goals' attributed figures (the goals' figures with the campaign as filter).
/// Without a period in the address the campaign is judged over its own run, from where it started.
/// </summary>
public sealed class CampaignPageModel(CampaignService campaigns, GoalService goals, AnalyticsService analytics)
{
    public int Id { get; private set; }
    public Campaign? Campaign { get; private set; }
    public bool NotFound { get; private set; }
    public FilterChoices? Options { get; private set; }
    public IReadOnlyList<LinkedGoal> Linked { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Unlinked { get; private set; } = [];
    public IReadOnlyList<AudienceRow>? Audience { get; private set; }
    public IReadOnlyList<CompareTable.Row> Rows { get; private set; } = [];

    public int AudienceSize => Audience is { Count: > 0 } ? Audience[^1].Size : 0;

    public async Task<bool> LoadCampaignAsync(int id)
    {
        Id = id;
        Campaign = await campaigns.GetAsync(id);
        NotFound = Campaign is null;
        Options ??= Campaign is null ? null : await analytics.FilterChoicesAsync();
        return Campaign is not null;
    }

    /// <summary>The campaign's own view: this campaign as the filter, the rest as in <paramref name="view"/>.</summary>
    public AnalyticsQuery QueryOf(AnalyticsView view) => view.Query with { Filters = view.Filters with { Campaign = Campaign!.Key } };

    /// <summary>The same view on a goal's page: this campaign as the filter.</summary>
    public string GoalQuery(AnalyticsView view) => "?" + (view with { Filters = QueryOf(view).Where }).AddressQuery();

    public string CompareHref(AnalyticsView view) => $"goals/compare?ids={string.Join(',', Rows.Select(r => r.Stats.GoalId))}&{GoalQuery(view).TrimStart('?')}";

    /// <summary>Loads the figures; returns the view they are for (the campaign's own run when <paramref name="sinceStart"/>).</summary>
    public async Task<AnalyticsView> LoadFiguresAsync(AnalyticsView view, bool sinceStart)
    {
        if (sinceStart)
        {
            // Judged over its own run, not the last 30 days: from where it started (an import can move that).
            var since = await campaigns.SinceStartAsync(Campaign!);
            view = view with { Preset = PeriodPreset.Custom, From = since.From, To = since.To };
        }
        Linked = await campaigns.LinkedGoalsAsync(Id);
        Unlinked = (await goals.NamesAsync()).Where(g => Linked.All(l => l.Id != g.Id)).Select(g => (g.Id, g.Name)).ToList();
        var query = QueryOf(view);
        Audience = await analytics.AudienceTrendAsync(Campaign!.Key, query);
        var stats = await analytics.CompareAsync(Linked.Select(g => g.Id).ToList(), query);
        Rows = stats.Select(s => (Stats: s, Goal: Linked.First(g => g.Id == s.GoalId)))
            .Select((x, i) => new CompareTable.Row(i, x.Goal.Name, x.Goal.TargetRate, x.Stats)).ToList();
        return view;
    }

    /// <summary>Links or unlinks a goal; returns its name for the message.</summary>
    public async Task<string> SetLinkAsync(Guid goalId, bool linked, string user)
    {
        await campaigns.SetLinkAsync(goalId, Id, linked, user);
        return (await goals.GetAsync(goalId))?.Goal.Name ?? "The goal";
    }

    public void Saved(Campaign campaign) => Campaign = campaign;
}
