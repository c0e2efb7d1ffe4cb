using GoalsDashboard.Data.Changes;
using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>Appends to the change log inside a store's transaction, and reports the change to the feed once committed.</summary>
internal static class SqliteChangeLog
{
    /// <summary>Writes the change's row in <paramref name="tx"/> and returns the change with its number (SQLite numbers rows in commit order: one writer at a time).</summary>
    public static async Task<Change> AppendAsync(SqliteConnection connection, SqliteTransaction tx, Change change, string payload, TimeProvider clock, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO changes (At, Kind, Payload) VALUES ($at, $kind, $payload) RETURNING Seq";
        command.Parameters.AddWithValue("$at", clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$kind", (int)change.Kind);
        command.Parameters.AddWithValue("$payload", payload);
        return change with { Seq = (long)(await command.ExecuteScalarAsync(ct))! };
    }

    /// <summary>After the commit: the feed applies the change (and anything committed before it) before the writer answers.</summary>
    public static Task PublishAsync(this ChangeFeed feed, Change committed, CancellationToken ct)
    {
        feed.Committed(committed);
        return feed.CatchUpAsync(committed.Seq, ct);
    }
}
