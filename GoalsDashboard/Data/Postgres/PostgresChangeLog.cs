using GoalsDashboard.Data.Changes;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>Appends to the change log inside a store's transaction.</summary>
internal static class PostgresChangeLog
{
    /// <summary>Writes the change's row in the connection's open transaction and returns the change with its number.</summary>
    public static async Task<Change> AppendAsync(NpgsqlConnection connection, Change change, string payload, TimeProvider clock, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("INSERT INTO changes (\"At\", \"Kind\", \"Payload\") VALUES (@at, @kind, @payload) RETURNING \"Seq\"", connection);
        command.Parameters.AddWithValue("at", clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("kind", (int)change.Kind);
        command.Parameters.AddWithValue("payload", payload);
        return change with { Seq = (long)(await command.ExecuteScalarAsync(ct))! };
    }
}
