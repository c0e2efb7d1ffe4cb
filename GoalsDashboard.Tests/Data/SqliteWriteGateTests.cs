using GoalsDashboard.Data;
using GoalsDashboard.Data.Sqlite;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// SQLite's writers (ingestion, live evaluation, the queue) take turns at the one write lock in the order they asked,
/// instead of polling it from SQLite's busy handler, where ingestion's next batch kept taking it first.
/// </summary>
[Trait("Provider", "SqliteOnly")]
public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task Turns_AreGivenInTheOrderAsked()
    {
        var gate = new SqliteWriteGate();
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        var secondTurn = await second.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        secondTurn.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task ATurnEndedTwice_GivesOneTurnBack()
    {
        var gate = new SqliteWriteGate();
        var turn = await gate.EnterAsync(CancellationToken.None);
        turn.Dispose();
        turn.Dispose();

        using var next = await gate.EnterAsync(CancellationToken.None);
        var after = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(after.IsCompleted);
    }

    [Fact]
    public async Task AWriterKeptWaitingTooLong_IsToldTheDatabaseIsUnavailable_NotLeftHanging()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromMilliseconds(100));
        using var held = await gate.EnterAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => gate.EnterAsync(CancellationToken.None));
        // The API answers it with 503 and Retry-After (DatabaseUnavailableHandler), as for a file that cannot be written.
        Assert.True(new SqliteDatabaseFile("Data Source=unused.db").IsUnavailable(ex));
    }
}
