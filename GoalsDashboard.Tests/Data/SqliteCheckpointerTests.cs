using GoalsDashboard.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// The write-ahead log is kept short by <see cref="SqliteCheckpointer"/>, not only by SQLite's checkpoint after a
/// commit (which under steady ingestion never gets to start the log again). Here SQLite's own is switched off, so
/// only the checkpointer can start the log again.
/// </summary>
[Trait("Provider", "SqliteOnly")]
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("goals-wal-").FullName;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "app.db"), Pooling = false }.ToString();

    [Fact]
    public async Task ALongLog_IsStartedAgain_SoThatItStopsGrowing()
    {
        await using var writer = new SqliteConnection(ConnectionString);
        await writer.OpenAsync();
        await ExecuteAsync(writer, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x BLOB)");
        // More pages than the checkpointer lets the log hold.
        for (var i = 0; i < SqliteCheckpointer.RestartAtPages / 400 + 2; i++)
        {
            await ExecuteAsync(writer, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO t SELECT randomblob(4000) FROM n");
        }
        Assert.True(await LogPagesAsync(writer) >= SqliteCheckpointer.RestartAtPages);

        using var checkpointer = new SqliteCheckpointer(ConnectionString, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            // Once it has run, the next write starts the log from its beginning: a few pages, not thousands.
            var pages = long.MaxValue;
            for (var i = 0; i < 100 && pages > 100; i++)
            {
                await Task.Delay(100);
                await ExecuteAsync(writer, "INSERT INTO t VALUES (randomblob(10))");
                pages = await LogPagesAsync(writer);
            }
            Assert.True(pages <= 100, $"the log still holds {pages} pages");
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AMissingFile_IsNeverCreated()
    {
        using var checkpointer = new SqliteCheckpointer(ConnectionString, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        await Task.Delay(1500); // three of its rounds
        await checkpointer.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(_folder, "app.db")));
    }

    /// <summary>
    /// The pages in the log, read from the log's index in shared memory (its header's mxFrame), because asking SQLite
    /// (a passive checkpoint) would copy the log and let the next write start it again without the checkpointer.
    /// </summary>
    private static async Task<long> LogPagesAsync(SqliteConnection connection)
    {
        await using var shm = new FileStream(connection.DataSource + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[20];
        await shm.ReadExactlyAsync(header);
        return BitConverter.ToUInt32(header, 16);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
