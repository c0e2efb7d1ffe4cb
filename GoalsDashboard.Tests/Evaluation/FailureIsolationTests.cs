using System.Net;
using GoalsDashboard.Data;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>
/// One profile whose stored history cannot be evaluated never stops the others (docs/evaluation.md, "Failures"):
/// it is set aside with its error, visible to Admins and retried, while live evaluation and backfills go on.
/// The poison is written straight into the store, as damage from outside the app would be.
/// </summary>
public class FailureIsolationTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new();

    public Task InitializeAsync()
    {
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>A goal with a property filter, so that evaluation reads every event's stored properties.</summary>
    private async Task<Guid> CreateGoalAsync(string name, string eventName)
    {
        using var client = _factory.ApiClient();
        using var response = await client.PostJsonAsync("/api/v1/goals", $$"""
            {"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{eventName}}",
             "filters":[{"key":"plan","operator":"equals","value":"pro"}]}]}]}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((string)(await response.JsonAsync())["id"]!);
        await HttpJson.EventuallyAsync(() => _factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Id == id)), g => !g.IsEvaluating, "backfilled");
        return id;
    }

    private Task PostEventAsync(string profile, string name) =>
        _factory.ApiClient().PostOkAsync("/api/v1/events", $$$"""{"profile_id":"{{{profile}}}","name":"{{{name}}}","properties":{"plan":"pro"}}""");

    private Task<bool> CompletedAsync(Guid goal, string profile) =>
        _factory.QueryAsync(db => db.Completions.AnyAsync(c => c.GoalId == goal && db.Profiles.Any(p => p.Id == c.ProfileId && p.ExternalId == profile)));

    private Task PoisonAsync(string profile) => _factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
        "UPDATE events SET \"PropertiesJson\" = {0} WHERE \"ProfileId\" = (SELECT \"Id\" FROM profiles WHERE \"ExternalId\" = {1})", "{not json", profile));

    private async Task<IReadOnlyList<SetAsideProfile>> SetAsideAsync() =>
        (await _factory.Services.GetRequiredService<EvaluationProblems>().ListAsync()).Profiles;

    [Fact]
    public async Task PoisonedProfile_IsSetAsideWithItsError_AndOthersKeepBeingEvaluated()
    {
        var goal = await CreateGoalAsync("Pro purchase", "purchase");
        await PostEventAsync("poison-p", "visit");
        await HttpJson.EventuallyAsync(() => _factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0, "evaluated");
        await PoisonAsync("poison-p");

        // New data for the poisoned profile marks it pending, then other profiles' data arrives behind it.
        await PostEventAsync("poison-p", "purchase");
        foreach (var profile in new[] { "ok-1", "ok-2", "ok-3" })
        {
            await PostEventAsync(profile, "purchase");
        }
        foreach (var profile in new[] { "ok-1", "ok-2", "ok-3" })
        {
            await HttpJson.EventuallyAsync(() => CompletedAsync(goal, profile), done => done, $"{profile} completed");
        }

        var aside = await HttpJson.EventuallyAsync(SetAsideAsync, list => list.Any(p => p.ExternalId == "poison-p"), "poison-p set aside");
        var poisoned = Assert.Single(aside);
        Assert.Contains("not valid JSON", poisoned.Error);
        Assert.True(poisoned.Attempts >= 1);
        Assert.True(poisoned.RetryAt > DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.False(await CompletedAsync(goal, "poison-p"));

        // Later data for others is still evaluated while the poisoned profile waits for its retry.
        await PostEventAsync("ok-4", "purchase");
        await HttpJson.EventuallyAsync(() => CompletedAsync(goal, "ok-4"), done => done, "ok-4 completed");
        Assert.Equal(1, await _factory.QueryAsync(db => db.PendingEvaluations.CountAsync()));

        // Once the row is mended, a retry from Settings evaluates it and it is no longer set aside.
        await _factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE events SET \"PropertiesJson\" = {0} WHERE \"ProfileId\" = (SELECT \"Id\" FROM profiles WHERE \"ExternalId\" = 'poison-p')", """{"plan":"pro"}"""));
        await _factory.Services.GetRequiredService<EvaluationProblems>().RetryNowAsync(poisoned.ProfileId);
        await HttpJson.EventuallyAsync(() => CompletedAsync(goal, "poison-p"), done => done, "poison-p completed after the retry");
        await HttpJson.EventuallyAsync(SetAsideAsync, list => list.Count == 0, "nothing set aside");
    }

    [Fact]
    public async Task Backfill_OverAPoisonedProfile_FinishesForEveryoneElse_AndSetsItAside()
    {
        await PostEventAsync("bf-poison", "order");
        await PostEventAsync("bf-ok-1", "order");
        await PostEventAsync("bf-ok-2", "order");
        await HttpJson.EventuallyAsync(() => _factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0, "evaluated");
        await PoisonAsync("bf-poison");

        var goal = await CreateGoalAsync("Pro order", "order"); // waits for its backfill to finish

        Assert.True(await CompletedAsync(goal, "bf-ok-1"));
        Assert.True(await CompletedAsync(goal, "bf-ok-2"));
        Assert.False(await CompletedAsync(goal, "bf-poison"));
        var aside = await SetAsideAsync();
        Assert.Contains(aside, p => p.ExternalId == "bf-poison" && p.Error!.Contains("not valid JSON"));
    }

    [Fact]
    public async Task RetryDelay_DoublesWithEachFailure_UpToTheLongest()
    {
        var queue = _factory.Services.GetRequiredService<IEvaluationQueue>();
        await _factory.ApiClient().PostOkAsync("/api/v1/profiles/backoff-p/properties", """{"properties":{"plan":"free"}}""");
        await HttpJson.EventuallyAsync(() => _factory.QueryAsync(db => db.PendingEvaluations.CountAsync()), n => n == 0, "evaluated");
        var id = await _factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId == "backoff-p").Select(p => p.Id).SingleAsync());
        var now = DateTimeOffset.UtcNow.AddDays(1); // far ahead, so the worker leaves the mark alone
        var delays = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            await queue.SetAsideAsync([(id, "boom")], now);
            var mark = await _factory.QueryAsync(db => db.PendingEvaluations.AsNoTracking().SingleAsync(p => p.ProfileId == id));
            delays.Add((mark.RetryAt!.Value - now.ToUnixTimeMilliseconds()) / 1000.0);
        }
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800, 1800], delays);
        Assert.Empty(await queue.DueAsync(10, now));
        await queue.RetryNowAsync(id);
        Assert.Single(await queue.DueAsync(10, now));
    }
}
