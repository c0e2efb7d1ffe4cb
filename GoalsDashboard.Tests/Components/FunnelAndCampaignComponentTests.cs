using Bunit;
using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Campaigns;
using GoalsDashboard.Components.Funnels;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Components;

public class FunnelAndCampaignComponentTests : MudComponentTest
{
    [Fact]
    public void FunnelStepTable_ShowsEachStepsFigures_AndDropOffsOpenTheirSample()
    {
        IReadOnlyList<FunnelStepStats> steps =
        [
            new(Guid.NewGuid(), "Signed up", 200, 100, 100, 0, null),
            new(Guid.NewGuid(), "Started trial", 80, 40, 40, 120, 5400),
            new(Guid.NewGuid(), "Purchased", 80, 100, 40, 0, 86400),
        ];
        var clicked = new List<int>();
        var table = Context.Render<FunnelStepTable>(p => p.Add(c => c.Steps, steps).Add(c => c.DropOffClicked, step => clicked.Add(step)));
        var rows = table.FindAll("tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["200", "80", "80"], table.FindAll("[data-testid=step-profiles]").Select(e => e.TextContent));
        Assert.Contains("40.0%", rows[1].TextContent);
        Assert.Contains("1.5 h", rows[1].TextContent);
        Assert.Equal(["—", "120", "0"], table.FindAll("[data-testid=step-dropoff]").Select(e => e.TextContent.Trim()));

        table.Find("a[data-testid=step-dropoff], [data-testid=step-dropoff].mud-link").Click();
        Assert.Equal([2], clicked);
    }

    [Fact]
    public void GoalCampaignsPanel_WarnsWithoutACampaign_AndShowsEachLinkedCampaignsAttribution()
    {
        Context.AddAuthorization().SetAuthorized("viewer@example.com").SetRoles("Viewer");
        IReadOnlyList<(string, string)> campaigns = [("spring", "Spring sale"), ("webinar", "Webinar series")];
        var ids = new Dictionary<string, int> { ["spring"] = 1, ["webinar"] = 2 };
        var none = Context.Render<GoalCampaignsPanel>(p => p.Add(c => c.Linked, []).Add(c => c.Campaigns, campaigns)
            .Add(c => c.CampaignIds, ids).Add(c => c.Rows, []));
        Assert.Contains("Not linked to any campaign", none.Find("[data-testid=no-campaign-warning]").TextContent);

        IReadOnlyList<BreakdownRow> rows = [new("spring", "Spring sale", 12, 15, 300, 4.0), new("webinar", "Webinar series", 30, 30, 100, 30.0)];
        var linked = Context.Render<GoalCampaignsPanel>(p => p.Add(c => c.Linked, ["spring"]).Add(c => c.Campaigns, campaigns)
            .Add(c => c.CampaignIds, ids).Add(c => c.Rows, rows));
        var row = Assert.Single(linked.FindAll("[data-testid=goal-campaign-row]"));
        Assert.Contains("Spring sale", row.TextContent);
        Assert.Contains("300", row.TextContent);
        Assert.Equal("4.0%", row.QuerySelector("[data-testid=goal-campaign-rate]")!.TextContent);
        Assert.Equal("campaigns/1", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(linked.FindAll("[data-testid=no-campaign-warning]"));
        // A Viewer reads; linking and unlinking are for Editors.
        Assert.Empty(linked.FindAll("[data-testid=unlink-campaign]"));
    }
}
