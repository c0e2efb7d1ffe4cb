using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Benchmarks;

/// <summary>SQLite's baseline: the same rows through one prepared command, 1,000 per transaction.</summary>
internal static class RawInsert
{
    public static async Task<TimeSpan> RunAsync(string rawDatabase, EventData data, string indexes)
    {
        await using var connection = new SqliteConnection($"Data Source={rawDatabase};Pooling=False");
        await connection.OpenAsync();
        // The app's journal and the columns of its events table (as its migrations make it), with the three indexes only.
        await Exec(connection, "PRAGMA journal_mode=WAL;");
        await Exec(connection, """
            CREATE TABLE events (Id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, ProfileId INTEGER NOT NULL, EventId TEXT NULL, Name TEXT NOT NULL,
                Timestamp INTEGER NOT NULL, ReceivedAt INTEGER NOT NULL, Site TEXT NULL, Path TEXT NULL, Channel TEXT NULL, Campaign TEXT NULL,
                PropertiesJson TEXT NULL, RevenueAmount REAL NULL, RevenueCurrency TEXT NULL);
            """ + indexes);

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
