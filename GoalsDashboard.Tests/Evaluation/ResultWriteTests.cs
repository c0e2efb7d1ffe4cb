using System.Net;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>
/// How results are written: live evaluation rewrites only the rows that changed (docs/evaluation.md, "Live evaluation"),
/// and a goal's results go with it. On PostgreSQL results have no foreign key to their goal; the writes lock the goals
/// they write for instead (docs/decisions/ADR-004-postgresql.md, "Results and their goals").
/// </summary>
public sealed class ResultWriteTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    [Fact]
    public async Task DeletingAGoal_DeletesItsCompletionsAndConversions()
    {
        using var client = Factory.ApiClient();
        var (goal, profile) = await GoalWithOneCompletionAsync(client);
        Assert.Equal((1, 1), await RowsOfAsync(goal));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/goals/{goal}?permanent=true")).StatusCode);

        Assert.Equal((0, 0), await RowsOfAsync(goal));
        Assert.True(await Factory.QueryAsync(db => db.Profiles.AnyAsync(p => p.ExternalId == profile)));
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task LiveEvaluation_KeepsTheRowsThatDidNotChange_AndRewritesTheOnesThatDid()
    {
        using var client = Factory.ApiClient();
        var (goal, profile) = await GoalWithOneCompletionAsync(client);
        var first = await Factory.QueryAsync(db => db.Conversions.Where(c => c.GoalId == goal).Select(c => c.Id).SingleAsync());

        // A late event before the first: the completion moves to it, the first conversion stays as it was.
        await client.PostOkAsync("/api/v1/events", $$"""[{"profile_id":"{{profile}}","name":"{{profile}}","timestamp":"2026-03-01T09:00:00Z"}]""");
        await Factory.WaitUntilEvaluatedAsync();

        var conversions = await Factory.QueryAsync(db => db.Conversions.Where(c => c.GoalId == goal).OrderBy(c => c.Timestamp).ToListAsync());
        Assert.Equal(2, conversions.Count);
        Assert.Equal(first, conversions[1].Id);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), conversions[1].Timestamp);
        var completion = await Factory.QueryAsync(db => db.Completions.SingleAsync(c => c.GoalId == goal));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), completion.CompletedAt);
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task AGoalDeletedWhileAResultWriteHoldsIt_WaitsForTheWrite_AndTakesItsRowsWithIt()
    {
        using var client = Factory.ApiClient();
        var (goal, profile) = await GoalWithOneCompletionAsync(client);
        var profileId = await Factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId == profile).Select(p => p.Id).SingleAsync());

        // A result write as the stores make one: the goal locked first, then a row written for it.
        await using var writer = new Npgsql.NpgsqlConnection(Factory.Database.ConnectionString);
        await writer.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await ExecuteAsync(writer, """SELECT "Id" FROM goals WHERE "Id" = @goal FOR KEY SHARE""", goal, profileId);
        await ExecuteAsync(writer, """
            INSERT INTO conversions ("GoalId", "ProfileId", "Timestamp", "Source") VALUES (@goal, @profile, 1, 1)
            """, goal, profileId);

        var deletion = Factory.Services.GetRequiredService<GoalService>().DeleteAsync(goal);
        await Task.Delay(500);
        Assert.False(deletion.IsCompleted, "The deletion did not wait for the write that holds the goal.");

        await transaction.CommitAsync();
        await deletion;
        Assert.Equal((0, 0), await RowsOfAsync(goal));
    }

    [Fact]
    public async Task AResultWriteForAGoalDeletedBefore_WritesNothingForIt()
    {
        using var client = Factory.ApiClient();
        var (deleted, profile) = await GoalWithOneCompletionAsync(client);
        var (kept, _) = await GoalWithOneCompletionAsync(client);
        var profileId = await Factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId == profile).Select(p => p.Id).SingleAsync());
        await Factory.Services.GetRequiredService<GoalService>().DeleteAsync(deleted);

        var results = Factory.Services.GetRequiredService<IResultStore>();
        var completed = new EvaluationResult(new CompletionResult(DateTimeOffset.UnixEpoch.AddDays(1), null, "email", "a.example", null), []);
        await results.ReplaceGoalResultsAsync(deleted, 1, [(profileId, completed)]);
        await results.ReplaceResultsAsync([deleted, kept], [profileId], [(deleted, profileId, completed), (kept, profileId, completed)]);

        Assert.Equal((0, 0), await RowsOfAsync(deleted));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), (await Factory.QueryAsync(db => db.Completions.Where(c => c.GoalId == kept).ToListAsync()))
            .Single(c => c.ProfileId == profileId).CompletedAt);
    }

    [Fact]
    public async Task RecordingAConversionForAGoalThatIsGone_IsRefusedAsNoSuchGoal()
    {
        using var client = Factory.ApiClient();
        var (deleted, profile) = await GoalWithOneCompletionAsync(client);
        var profileId = await Factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId == profile).Select(p => p.Id).SingleAsync());
        await Factory.Services.GetRequiredService<GoalService>().DeleteAsync(deleted);

        var results = Factory.Services.GetRequiredService<IResultStore>();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => results.RecordConversionAsync(
            new Conversion { GoalId = deleted, ProfileId = profileId, Timestamp = DateTimeOffset.UnixEpoch.AddDays(1), Source = ConversionSource.Api }));

        Assert.Equal((0, 0), await RowsOfAsync(deleted));
    }

    /// <summary>A goal completed by one event of its own name at 10:00, by a profile of its own.</summary>
    private async Task<(Guid Goal, string Profile)> GoalWithOneCompletionAsync(HttpClient client)
    {
        var name = HttpJson.Unique("written");
        using var created = await client.PostJsonAsync("/api/v1/goals",
            $$"""{"name":"{{name}}","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"{{name}}"}]}]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var goal = Guid.Parse((string)(await created.JsonAsync())["id"]!);
        await client.PostOkAsync("/api/v1/events", $$"""[{"profile_id":"{{name}}","name":"{{name}}","timestamp":"2026-03-01T10:00:00Z"}]""");
        await Factory.WaitUntilEvaluatedAsync();
        return (goal, name);
    }

    private Task<(int Completions, int Conversions)> RowsOfAsync(Guid goal) => Factory.QueryAsync(async db =>
        (await db.Completions.CountAsync(c => c.GoalId == goal), await db.Conversions.CountAsync(c => c.GoalId == goal)));

    private static async Task ExecuteAsync(Npgsql.NpgsqlConnection connection, string sql, Guid goal, long profile)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("goal", goal);
        command.Parameters.AddWithValue("profile", profile);
        await command.ExecuteNonQueryAsync();
    }
}
