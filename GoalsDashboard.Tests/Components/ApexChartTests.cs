using Bunit;
using GoalsDashboard.Components.Charts;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Components;

public class ApexChartTests : MudComponentTest
{
    private const string ModulePath = "./Components/Charts/ApexChart.razor.js";

    private static readonly object LineOptions = new { chart = new { type = "line", height = 240 }, xaxis = new { categories = new[] { "Mon", "Tue" } } };

    [Fact]
    public void FirstRender_CreatesTheChartWithOptionsAndSeries()
    {
        var module = Context.JSInterop.SetupModule(ModulePath);
        Context.Render<ApexChart>(p => p
            .Add(c => c.Options, LineOptions)
            .Add(c => c.Series, new[] { new { name = "Completions", data = new[] { 3, 5 } } }));

        var create = Assert.Single(module.Invocations["create"]);
        Assert.Contains("\"type\":\"line\"", (string)create.Arguments[1]!);
        Assert.Equal("[{\"name\":\"Completions\",\"data\":[3,5]}]", create.Arguments[2]);
    }

    [Fact]
    public void NewSeries_UpdatesTheChartWithoutRebuildingIt()
    {
        var module = Context.JSInterop.SetupModule(ModulePath);
        var chart = Context.Render<ApexChart>(p => p
            .Add(c => c.Options, LineOptions)
            .Add(c => c.Series, new[] { new { name = "Completions", data = new[] { 3, 5 } } }));

        chart.Render(p => p.Add(c => c.Series, new[] { new { name = "Completions", data = new[] { 4, 9 } } }));

        var update = Assert.Single(module.Invocations["update"]);
        Assert.Null(update.Arguments[1]);
        Assert.Equal("[{\"name\":\"Completions\",\"data\":[4,9]}]", update.Arguments[2]);
    }

    [Fact]
    public void NewOptions_AreSentToTheChart()
    {
        var module = Context.JSInterop.SetupModule(ModulePath);
        var chart = Context.Render<ApexChart>(p => p.Add(c => c.Options, LineOptions).Add(c => c.Series, new[] { 1, 2 }));

        chart.Render(p => p.Add(c => c.Options, new { chart = new { type = "bar" } }));

        var update = Assert.Single(module.Invocations["update"]);
        Assert.Contains("\"type\":\"bar\"", (string)update.Arguments[1]!);
    }

    [Fact]
    public void UnchangedParameters_DoNotCallTheChartAgain()
    {
        var module = Context.JSInterop.SetupModule(ModulePath);
        var chart = Context.Render<ApexChart>(p => p.Add(c => c.Options, LineOptions).Add(c => c.Series, new[] { 1, 2 }));

        chart.Render(p => p.Add(c => c.Series, new[] { 1, 2 }));

        Assert.Empty(module.Invocations["update"]);
    }

    [Fact]
    public async Task Dispose_DestroysTheJsChart()
    {
        var module = Context.JSInterop.SetupModule(ModulePath);
        var chart = Context.Render<ApexChart>(p => p.Add(c => c.Options, LineOptions).Add(c => c.Series, new[] { 1, 2 }));

        await chart.Instance.DisposeAsync();

        Assert.Single(module.Invocations["destroy"]);
    }
}
