using Bunit;
using GoalsDashboard.Components.Goals;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GoalsDashboard.Tests.Components;

public class GoalGridTests : MudComponentTest
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static GoalListItem Item(string name, GoalType type, GoalStatus status = GoalStatus.Active, int completions = 0, double rate = 0, double? target = null) =>
        new(Guid.NewGuid(), name, type, status, $"Completed when {name}.", ["spring-sale"], Created, "ann", Created, "ann", false,
            completions, completions + 2, rate, target, new int[30]);

    private static readonly IReadOnlyList<GoalListItem> Goals =
    [
        Item("Trial Signup Completed", GoalType.CustomEvent, completions: 364, rate: 16.4, target: 12),
        Item("Pricing Page Visited", GoalType.PageView, completions: 80, rate: 3.6, target: 30),
        Item("Old Newsletter Goal", GoalType.CustomEvent, GoalStatus.Archived),
    ];

    private IRenderedComponent<GoalGrid> RenderGrid(GoalStatus? initialStatus = null)
    {
        return RenderWithPopovers<GoalGrid>((nameof(GoalGrid.Goals), Goals), (nameof(GoalGrid.InitialStatus), initialStatus));
    }

    [Fact]
    public void ListsEveryGoal_WithTypeAndStatus()
    {
        var grid = RenderGrid();
        var rows = grid.FindAll("tbody tr.mud-table-row");
        Assert.Equal(3, rows.Count);
        Assert.Contains("Trial Signup Completed", rows[0].TextContent);
        Assert.Contains("Custom event", rows[0].TextContent);
        Assert.Contains("Page view", rows[1].TextContent);
        Assert.Contains("Archived", rows[2].TextContent);
        Assert.Contains("1 Mar 2026", rows[0].TextContent);
    }

    [Fact]
    public void OpenedOnActiveGoals_HidesTheArchivedOnes()
    {
        var rows = RenderGrid(GoalStatus.Active).FindAll("tbody tr.mud-table-row");
        Assert.Equal(2, rows.Count);
        Assert.DoesNotContain(rows, r => r.TextContent.Contains("Old Newsletter Goal"));
    }

    [Fact]
    public void ShowsCompletionsRateAndTargetStatus()
    {
        var rows = RenderGrid().FindAll("tbody tr.mud-table-row");
        Assert.Contains("364", rows[0].TextContent);
        Assert.Contains("366 conversions", rows[0].TextContent);
        Assert.Contains("16.4%", rows[0].TextContent);
        Assert.Contains("On track", rows[0].TextContent);
        Assert.Contains("Behind", rows[1].TextContent);
        Assert.Contains("spring-sale", rows[0].TextContent);
    }

    [Fact]
    public void Search_FiltersTheRows()
    {
        var grid = RenderGrid();
        grid.Find("input[placeholder='Search goals']").Input("pricing");
        var rows = grid.FindAll("tbody tr.mud-table-row");
        Assert.Single(rows);
        Assert.Contains("Pricing Page Visited", rows[0].TextContent);
    }

    [Fact]
    public void Search_WithNoMatch_SaysSo()
    {
        var grid = RenderGrid();
        grid.Find("input[placeholder='Search goals']").Input("zzz");
        Assert.Contains("No goal matches", grid.Markup);
    }

    [Fact]
    public void ClickingAColumnHeader_SortsByIt()
    {
        var grid = RenderGrid();
        grid.FindAll("th .sortable-column-header").First(h => h.TextContent.Contains("Goal")).Click();
        var names = grid.FindAll("tbody tr.mud-table-row").Select(r => r.TextContent).ToList();
        Assert.Contains("Old Newsletter Goal", names[0]);
        Assert.Contains("Trial Signup Completed", names[2]);
    }
}
