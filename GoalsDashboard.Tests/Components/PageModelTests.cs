using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Components.Funnels;
using GoalsDashboard.Components.Goals;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GoalsDashboard.Tests.Components;

/// <summary>The pages' orchestration, tested without a renderer: it lives in plain classes the pages only show.</summary>
public class PageModelTests(EmptyAppFixture app) : IClassFixture<EmptyAppFixture>
{
    private T Service<T>() where T : notnull => app.Factory.Services.GetRequiredService<T>();

    [Fact]
    public async Task LiveRefresh_ReloadsOncePerTwoSeconds_AndOnlyAfterARelevantChange()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-05-01T12:00:00Z"));
        var refreshes = 0;
        var relevant = true;
        using var live = new LiveRefresh(Service<AnalyticsService>(), clock, TimeSpan.FromHours(1), () => { refreshes++; return Task.CompletedTask; },
            relevant: _ => relevant);

        await live.TickAsync();
        Assert.Equal(0, refreshes); // nothing changed

        await app.Factory.ApiClient().PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{HttpJson.Unique("live")}}","name":"visit"}""");
        await live.TickAsync();
        Assert.Equal(0, refreshes); // loaded less than two seconds ago
        Assert.True(live.Pending);

        clock.Advance(LiveRefresh.RefreshEvery);
        await live.TickAsync();
        Assert.Equal(1, refreshes);
        clock.Advance(LiveRefresh.RefreshEvery);
        await live.TickAsync();
        Assert.Equal(1, refreshes); // no new change

        relevant = false;
        await app.Factory.ApiClient().PostOkAsync("/api/v1/events", $$"""{"profile_id":"{{HttpJson.Unique("live")}}","name":"visit"}""");
        clock.Advance(LiveRefresh.RefreshEvery);
        await live.TickAsync();
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task GoalWizard_KeepsTheUserOnTheStepThatCanFixAnError()
    {
        var model = GoalEditModel.New(GoalType.Combined);
        var wizard = new GoalWizard(Service<GoalService>(), Service<AnalyticsService>(), model, goalId: null);

        Assert.Null(await wizard.BlockingStepAsync(2, 1)); // going back is always allowed
        Assert.Equal(0, await wizard.BlockingStepAsync(0, 1)); // a combined goal needs a name
        Assert.True(wizard.StepHasError(0));
        Assert.NotNull(wizard.ErrorOf("name"));

        model.Name = HttpJson.Unique("Wizard goal", 30);
        Assert.Equal(1, await wizard.BlockingStepAsync(0, 2)); // its empty condition is the conditions step's to fix
        Assert.Null(wizard.ErrorOf("name"));
        Assert.Equal(1, GoalWizard.StepOf("groups[0].conditions[0].event_name"));
        Assert.Equal(2, GoalWizard.StepOf("window.amount"));
        Assert.Equal(3, GoalWizard.StepOf("target_rate"));
    }

    [Fact]
    public async Task GoalWizard_LetsAnEventGoalLeaveItsNameEmpty_AndNamesItAfterTheEvent()
    {
        var model = GoalEditModel.New(GoalType.CustomEvent);
        var wizard = new GoalWizard(Service<GoalService>(), Service<AnalyticsService>(), model, goalId: null);

        Assert.Null(await wizard.BlockingStepAsync(0, 1)); // "Leave empty to use the event name"
        Assert.Null(wizard.ErrorOf("name"));
        Assert.Equal(1, await wizard.BlockingStepAsync(1, 2)); // the event name is still missing
        Assert.Null(wizard.ErrorOf("name"));

        var eventName = HttpJson.Unique("kb_event", 30);
        model.Groups[0].Conditions[0].EventName = eventName;
        Assert.Null(await wizard.BlockingStepAsync(1, 4));
        var saved = await wizard.SaveAsync("editor", _ => { });
        Assert.Equal(eventName, saved!.Name);
    }

    [Fact]
    public async Task SegmentEditor_IsOneOf_CollectsValuesOnce_AndDescribesThem()
    {
        var model = new GoalsDashboard.Components.Segments.SegmentEditModel(Service<SegmentService>(), null) { Name = "Webinar or partner" };
        var row = model.Conditions[0];
        (row.Key, row.Operator) = ("lead_source", Operator.OneOf);
        Assert.True(row.AddValue("webinar"));
        Assert.True(row.AddValue("partner"));
        Assert.False(row.AddValue("webinar"));
        Assert.False(row.AddValue(""));
        var changed = new TaskCompletionSource();
        model.Recount(() => { changed.TrySetResult(); return Task.CompletedTask; });
        Assert.Equal("lead_source is one of \"webinar\", \"partner\"", model.Sentence);
        Assert.Equal(["webinar", "partner"], row.ToCondition().Values!);
        Assert.Null(row.ToCondition().Value);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void GoalWizard_RefusesToMakeAStoredGoalARevenueGoal()
    {
        var model = GoalEditModel.New(GoalType.CustomEvent);
        var wizard = new GoalWizard(Service<GoalService>(), Service<AnalyticsService>(), model, goalId: Guid.NewGuid());
        wizard.SetType(GoalType.Revenue);
        Assert.Equal(GoalType.CustomEvent, model.Type);
        Assert.Contains("revenue", wizard.ErrorOf("type"));
        wizard.SetType(GoalType.Combined);
        Assert.Equal(GoalType.Combined, model.Type);
        Assert.Null(wizard.ErrorOf("type"));
    }

    [Fact]
    public async Task FunnelEditor_ClearsAnError_AsSoonAsItsFieldIsRight_AndKeepsTheOthers()
    {
        var model = new FunnelEditModel { Name = "", HasWindow = true, FunnelWindow = new FunnelEditModel.Window { Amount = 0 } };
        Assert.Null(await model.SaveAsync(Service<FunnelService>(), null, "editor"));
        Assert.True(model.Has("name"));
        Assert.True(model.Has("window.amount"));

        model.Name = "Journey";
        model.Revalidate();
        Assert.False(model.Has("name"));
        Assert.True(model.Has("window.amount"));

        model.FunnelWindow.Amount = 30;
        model.Revalidate();
        Assert.False(model.Has("window.amount"));

        // A step's goal: its error goes once one is chosen; the other step's stays.
        Assert.True(model.Has("steps[0].goal_id"));
        Assert.True(model.Has("steps[1].goal_id"));
        model.Steps[0].GoalId = Guid.NewGuid();
        model.Revalidate();
        Assert.False(model.Has("steps[0].goal_id"));
        Assert.True(model.Has("steps[1].goal_id"));
    }

    [Fact]
    public async Task GoalPage_ReadsTheGoalAgain_WhenItsResultsOrDefinitionChange()
    {
        var model = new GoalPageModel(Service<GoalService>(), Service<CampaignService>(), Service<FunnelService>(), Service<AnalyticsService>(), Service<EvaluationService>());
        Assert.False(await model.LoadGoalAsync(Guid.NewGuid()));
        Assert.True(model.NotFound);

        var goal = await Service<GoalService>().CreateAsync(new GoalDraft
        {
            Name = HttpJson.Unique("Page goal", 30), Type = GoalType.CustomEvent,
            Groups = [new ConditionGroup([new Condition { Kind = ConditionKind.Event, EventName = "page_model" }])],
        }, "editor");
        model = new GoalPageModel(Service<GoalService>(), Service<CampaignService>(), Service<FunnelService>(), Service<AnalyticsService>(), Service<EvaluationService>());
        Assert.True(await model.LoadGoalAsync(goal.Id));
        Assert.Equal(goal.Name, model.Goal!.Name);
        Assert.True(model.Hears([new Change(1, ChangeKind.Events)]));

        await Service<GoalService>().SetStatusAsync(goal.Id, GoalStatus.Archived, "editor", goal.Version);
        model.Hears([new Change(2, ChangeKind.Definitions) { Tables = ["goals"] }]);
        await model.RefreshAsync(new GoalsDashboard.Analytics.AnalyticsQuery(Service<AnalyticsService>().Today.AddDays(-6), Service<AnalyticsService>().Today));
        Assert.Equal(GoalStatus.Archived, model.Goal!.Status);
        Assert.NotNull(model.Stats);
    }
}
