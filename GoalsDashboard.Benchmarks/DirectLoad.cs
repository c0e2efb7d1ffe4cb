using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Benchmarks;

/// <summary>
/// Loads the generated profiles and events straight into the app's database, bypassing the HTTP API,
/// for runs where ingestion itself is not what is measured (10M events take most of an hour through
/// the API on the reference machine). The app must not be running: the daily activity it keeps in
/// memory is built from the stored events when it starts.
/// </summary>
internal static class DirectLoad
{
    public static async Task<TimeSpan> RunAsync(string appDatabase, EventData data)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={appDatabase};Pooling=False");
        await connection.OpenAsync();

        // First seen, first channel and first site: the profile's earliest event, as ingestion keeps them.
        var firsts = new Dictionary<int, BenchEvent>();
        foreach (var e in data.Events)
        {
            if (!firsts.TryGetValue(e.Profile, out var first) || e.TimestampMs < first.TimestampMs)
            {
                firsts[e.Profile] = e;
            }
        }
        await using (var tx = connection.BeginTransaction())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO profiles (Id, ExternalId, FirstSeenAt, FirstChannel, FirstSite, CreatedAt) VALUES ($id, $external, $first, $channel, $site, $now)";
            var p = new[] { "$id", "$external", "$first", "$channel", "$site", "$now" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Prepare();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var (profile, first) in firsts.OrderBy(f => f.Key))
            {
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (profile + 1, $"u{profile}", first.TimestampMs, first.Channel, first.Site, now);
                await insert.ExecuteNonQueryAsync();
            }
            foreach (var site in data.Events.GroupBy(e => e.Site).Select(g => (g.Key, g.Min(e => e.TimestampMs))))
            {
                await using var sites = connection.CreateCommand();
                sites.Transaction = tx;
                sites.CommandText = "INSERT INTO sites (Key, FirstSeenAt) VALUES ($key, $first)";
                sites.Parameters.AddWithValue("$key", site.Key);
                sites.Parameters.AddWithValue("$first", site.Item2);
                await sites.ExecuteNonQueryAsync();
            }
            foreach (var name in data.Events.Select(e => e.Name).Distinct())
            {
                await using var names = connection.CreateCommand();
                names.Transaction = tx;
                names.CommandText = "INSERT INTO event_names (Name) VALUES ($name)";
                names.Parameters.AddWithValue("$name", name);
                await names.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        // A bulk load: the events' indexes are dropped while the rows go in and built once afterwards.
        await RawInsert.Exec(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
        var indexes = new List<(string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await RawInsert.Exec(connection, $"DROP INDEX \"{name}\"");
        }
        await RawInsert.InsertEventsAsync(connection, data);
        foreach (var (_, sql) in indexes)
        {
            await RawInsert.Exec(connection, sql);
        }
        await RawInsert.Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return stopwatch.Elapsed;
    }
}
