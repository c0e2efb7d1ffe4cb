using GoalsDashboard.Data;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>
/// What instances share about backfills (docs/decisions/ADR-005-several-instances.md): the progress another instance
/// reports shows here (that a backfill runs once is shown by Api/SeveralInstancesTests).
/// </summary>
public sealed class BackfillSharingTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    [Fact]
    public async Task ProgressReportedByAnotherInstance_ShowsOnThisOne_UntilItIsRemoved()
    {
        var goal = Guid.NewGuid();
        var evaluation = Factory.Services.GetRequiredService<EvaluationService>();
        Assert.Null(evaluation.ProgressOf(goal));

        await Factory.QueryAsync(async db =>
        {
            db.BackfillProgress.Add(new BackfillProgress { GoalId = goal, Instance = Guid.NewGuid(), Progress = 0.4, UpdatedAt = 0 });
            return await db.SaveChangesAsync();
        });
        await HttpJson.EventuallyAsync(() => Task.FromResult(evaluation.ProgressOf(goal)), p => p == 0.4, "the other instance's progress");

        await Factory.QueryAsync(db => db.BackfillProgress.Where(p => p.GoalId == goal).ExecuteDeleteAsync());
        await HttpJson.EventuallyAsync(() => Task.FromResult(evaluation.ProgressOf(goal)), p => p is null, "the progress gone");
    }
}
