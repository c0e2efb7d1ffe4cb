using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Benchmarks;

/// <summary>The baseline: the same rows into the app's own events schema through one prepared command.</summary>
internal static class RawInsert
{
    public static async Task<TimeSpan> RunAsync(string appDatabase, string rawDatabase, EventData data)
    {
        await using var connection = new SqliteConnection($"Data Source={rawDatabase};Pooling=False");
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL;");
        await using (var source = new SqliteConnection($"Data Source={appDatabase};Mode=ReadOnly;Pooling=False"))
        {
            await source.OpenAsync();
            await using var schema = source.CreateCommand();
            schema.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC";
            var statements = new List<string>();
            await using (var reader = await schema.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    statements.Add(reader.GetString(0));
                }
            }
            foreach (var statement in statements)
            {
                await Exec(connection, statement);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        await InsertEventsAsync(connection, data);
        return stopwatch.Elapsed;
    }

    /// <summary>The events through one prepared command, 1,000 per transaction; profile ids are the generated index + 1.</summary>
    public static async Task InsertEventsAsync(SqliteConnection connection, EventData data)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO events (ProfileId, EventId, Name, Timestamp, ReceivedAt, Site, Path, Channel, RevenueAmount, RevenueCurrency) VALUES ($p,$id,$n,$t,$r,$s,$path,$c,$rev,$cur)";
        var p = new[] { "$p", "$id", "$n", "$t", "$r", "$s", "$path", "$c", "$rev", "$cur" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        var events = data.Events;
        for (var start = 0; start < events.Length; start += 1000)
        {
            await using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            insert.Prepare();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = start; i < Math.Min(start + 1000, events.Length); i++)
            {
                var e = events[i];
                p[0].Value = e.Profile + 1;
                p[1].Value = e.EventId;
                p[2].Value = e.Name;
                p[3].Value = e.TimestampMs;
                p[4].Value = now;
                p[5].Value = e.Site;
                p[6].Value = (object?)e.Path ?? DBNull.Value;
                p[7].Value = e.Channel;
                p[8].Value = e.Revenue is { } r ? r : DBNull.Value;
                p[9].Value = e.Revenue is null ? DBNull.Value : "EUR";
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
    }

    public static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
