using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// The change log as another follower sees it (docs/decisions/ADR-003-change-feed.md): every committed write is
/// there, in order, and a follower applies each change once, also one that commits after a later one.
/// </summary>
public sealed class ChangeFeedTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new();
    private readonly Recorder _recorder = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ChangeFeed _follower = null!;

    public async Task InitializeAsync()
    {
        _ = _factory.Server;
        // A follower of its own, as another app instance would have: it hears only what the table says.
        var handlers = new ServiceCollection().AddSingleton<IChangeHandler>(_recorder).BuildServiceProvider();
        _follower = new ChangeFeed(_factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _factory.Services.GetRequiredService<IAnalyticsStore>(),
            _factory.Services.GetRequiredService<IChangeLogHorizon>(), handlers, _clock, NullLogger<ChangeFeed>.Instance);
        await _follower.StartAsync();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AnotherFollower_AppliesEveryWrite_OnceAndInOrder_FromTheTableAlone()
    {
        using var client = _factory.ApiClient();
        await client.PostOkAsync("/api/v1/goals", """{"name":"Followed","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"signup"}]}]}""");
        await client.PostOkAsync("/api/v1/events", """
            [{"profile_id":"f1","name":"signup","site":"a.example","channel":"email","timestamp":"2026-03-01T10:00:00Z"},
             {"profile_id":"f2","name":"visit","timestamp":"2026-03-02T10:00:00Z"}]
            """);
        await client.PostOkAsync("/api/v1/profiles/f1/properties", """{"properties":{"plan":"pro"}}""");
        await _factory.WaitUntilEvaluatedAsync();

        await _follower.CatchUpAsync();
        var seen = _recorder.Changes;
        Assert.Equal(Enumerable.Range((int)seen[0].Seq, seen.Count).Select(i => (long)i), seen.Select(c => c.Seq));
        Assert.Contains(seen, c => c.Kind == ChangeKind.Definitions && c.Tables.Contains("goals"));
        Assert.Contains(seen, c => c.Kind == ChangeKind.Properties);
        // Events come back from the table itself: who, when and where.
        var events = Assert.Single(seen, c => c.Kind == ChangeKind.Events).Events;
        Assert.Equal([(DateTimeOffset.Parse("2026-03-01T10:00:00Z").ToUnixTimeMilliseconds(), "a.example", "email"),
                      (DateTimeOffset.Parse("2026-03-02T10:00:00Z").ToUnixTimeMilliseconds(), (string?)null, (string?)null)],
            events.OrderBy(e => e.At).Select(e => (e.At, e.Site, e.Channel)).ToList());
        // The backfill and live evaluation's results: f1 completed.
        var f1 = await _factory.QueryAsync(db => db.Profiles.Where(p => p.ExternalId == "f1").Select(p => p.Id).SingleAsync());
        Assert.Contains(seen, c => c.Kind == ChangeKind.GoalResults || c.Kind == ChangeKind.Results && c.Results.Any(r => r.ProfileId == f1 && r.Completion is not null));

        // Nothing is applied twice.
        var count = seen.Count;
        await _follower.CatchUpAsync();
        Assert.Equal(count, _recorder.Changes.Count);
        Assert.Equal(_factory.Services.GetRequiredService<ChangeFeed>().Applied, _follower.Applied);
    }

    [Fact]
    public async Task AChangeCommittedAfterALaterOne_IsStillApplied()
    {
        // Under concurrent writers a number is taken before its transaction commits: N+2 can be visible before N+1.
        var n = _follower.Applied;
        await InsertAsync(n + 2);
        await _follower.CatchUpAsync();
        Assert.Equal([n + 2], _recorder.Changes.Select(c => c.Seq));

        await InsertAsync(n + 1); // the slower transaction commits
        await _follower.CatchUpAsync();
        Assert.Equal([n + 2, n + 1], _recorder.Changes.Select(c => c.Seq));

        await _follower.CatchUpAsync();
        Assert.Equal(2, _recorder.Changes.Count);
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task AWriterWhoseTransactionStaysOpen_IsWaitedFor_HoweverLong_AndAppliedWhenItCommits()
    {
        // The trap of numbered feeds under concurrent writers: one writer takes its number and keeps its transaction
        // open while a second writer, with the next number, commits.
        await using var slow = await OpenAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        var slowSeq = await AppendAsync(slow);
        await using (var fast = await OpenAsync())
        {
            var fastSeq = await AppendAsync(fast);
            Assert.True(fastSeq > slowSeq);
        }

        await _follower.CatchUpAsync();
        Assert.DoesNotContain(slowSeq, _recorder.Changes.Select(c => c.Seq));
        Assert.Equal(1, _follower.OpenGaps);

        // However long it stays open (far past the timeout a store that cannot tell would use), the number is held.
        _clock.Advance(ChangeFeed.GapTimeout * 10);
        await _follower.CatchUpAsync();
        Assert.Equal(1, _follower.OpenGaps);

        await slowTransaction.CommitAsync();
        await _follower.CatchUpAsync();
        var seen = _recorder.Changes.Select(c => c.Seq).ToList();
        Assert.Equal(1, seen.Count(s => s == slowSeq));
        Assert.Contains(slowSeq + 1, seen);
        Assert.Equal(0, _follower.OpenGaps);
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task ANumberWhoseTransactionRolledBack_IsGivenUp_AsSoonAsNoTransactionCouldStillWriteIt()
    {
        long rolledBack;
        await using (var writer = await OpenAsync())
        {
            await using var transaction = await writer.BeginTransactionAsync();
            rolledBack = await AppendAsync(writer);
            await using (var other = await OpenAsync())
            {
                await AppendAsync(other);
            }
            await _follower.CatchUpAsync();
            Assert.Equal(1, _follower.OpenGaps);
            await transaction.RollbackAsync();
        }

        _clock.Advance(ChangeFeed.GapMinimum);
        // Given up once every transaction begun when the gap was seen has ended. Transaction ids are the server's, so
        // a transaction of another test on the same server that began before then holds it open until that one ends.
        for (var i = 0; i < 300 && _follower.OpenGaps > 0; i++)
        {
            await _follower.CatchUpAsync();
            if (_follower.OpenGaps > 0)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(0, _follower.OpenGaps);
        Assert.DoesNotContain(rolledBack, _recorder.Changes.Select(c => c.Seq));
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task AFollowerStartingWhileAWriterIsOpen_StillAppliesThatWriter()
    {
        await using var slow = await OpenAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        var slowSeq = await AppendAsync(slow);
        await using (var fast = await OpenAsync())
        {
            await AppendAsync(fast);
        }

        // An instance that starts now begins after the newest number, below which one is still in flight.
        var late = new Recorder();
        var starting = new ChangeFeed(_factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _factory.Services.GetRequiredService<IAnalyticsStore>(),
            _factory.Services.GetRequiredService<IChangeLogHorizon>(), new ServiceCollection().AddSingleton<IChangeHandler>(late).BuildServiceProvider(), _clock,
            NullLogger<ChangeFeed>.Instance);
        await starting.StartAsync();
        Assert.Equal(1, starting.OpenGaps);

        await slowTransaction.CommitAsync();
        await starting.CatchUpAsync();
        Assert.Equal([slowSeq], late.Changes.Select(c => c.Seq));
    }

    private async Task<Npgsql.NpgsqlConnection> OpenAsync()
    {
        var connection = new Npgsql.NpgsqlConnection(_factory.Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A change row as a writer appends it, in the connection's transaction if one is open; its number.</summary>
    private static async Task<long> AppendAsync(Npgsql.NpgsqlConnection connection)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "INSERT INTO changes (\"At\", \"Kind\", \"Payload\") VALUES (0, @kind, '{}') RETURNING \"Seq\"", connection);
        command.Parameters.AddWithValue("kind", (int)ChangeKind.Properties);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task InsertAsync(long seq) => _factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
        "INSERT INTO changes (\"Seq\", \"At\", \"Kind\", \"Payload\") VALUES ({0}, {1}, {2}, {3})", seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (int)ChangeKind.Properties, "{}"));

    private sealed class Recorder : IChangeHandler
    {
        private readonly List<Change> _changes = [];

        public IReadOnlyList<Change> Changes
        {
            get
            {
                lock (_changes)
                {
                    return _changes.ToList();
                }
            }
        }

        public ValueTask ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct)
        {
            lock (_changes)
            {
                _changes.AddRange(changes);
            }
            return ValueTask.CompletedTask;
        }

        public void Reset()
        {
        }
    }
}
