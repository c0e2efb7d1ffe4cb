using System.Globalization;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Components.Campaigns;

/// <summary>How a campaign's run is written and whether it is on.</summary>
public static class CampaignDates
{
    public static string Format(Campaign c) => (c.StartsOn, c.EndsOn) switch
    {
        (null, null) => "No dates",
        ({ } s, null) => $"From {Day(s)}",
        (null, { } e) => $"Until {Day(e)}",
        ({ } s, { } e) => $"{Day(s)} – {Day(e)}",
    };

    public static (string Label, MudBlazor.Color Color) State(Campaign c, DateOnly today) =>
        c.StartsOn > today ? ("Scheduled", MudBlazor.Color.Info)
        : c.EndsOn < today ? ("Ended", MudBlazor.Color.Default)
        : ("Running", MudBlazor.Color.Success);

    private static string Day(DateOnly d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
