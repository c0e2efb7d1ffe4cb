using System.Data.Common;
using GoalsDashboard.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sqlite;

internal sealed class SqliteIngestionStore(IDbContextFactory<AppDbContext> dbFactory) : IIngestionStore
{
    public async Task BulkLoadAsync(BulkLoad load, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);

        await InsertAsync(connection, tx, load.Profiles,
            "INSERT INTO profiles (Id, ExternalId, FirstSeenAt, FirstChannel, FirstSite, CreatedAt) VALUES ($0,$1,$2,$3,$4,$5)",
            p => [p.Id, p.ExternalId, Millis(p.FirstSeenAt), p.FirstChannel, p.FirstSite, Millis(p.CreatedAt)], ct);

        await InsertAsync(connection, tx, load.Events,
            "INSERT INTO events (ProfileId, EventId, Name, Timestamp, ReceivedAt, Site, Path, Channel, Campaign, PropertiesJson, RevenueAmount, RevenueCurrency) " +
            "VALUES ($0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
            e => [e.ProfileId, e.EventId, e.Name, Millis(e.Timestamp), Millis(e.ReceivedAt), e.Site, e.Path, e.Channel, e.Campaign,
                  e.PropertiesJson, e.RevenueAmount is { } a ? (double)a : null, e.RevenueCurrency], ct);

        await InsertAsync(connection, tx, load.PropertyChanges,
            "INSERT INTO property_changes (ProfileId, Key, Kind, Value, Timestamp) VALUES ($0,$1,$2,$3,$4)",
            c => [c.ProfileId, c.Key, (int)c.Kind, c.Value, Millis(c.Timestamp)], ct);

        await InsertAsync(connection, tx, load.CurrentProperties,
            "INSERT INTO profile_properties (ProfileId, Key, Kind, Value, SetAt) VALUES ($0,$1,$2,$3,$4) " +
            "ON CONFLICT (ProfileId, Key) DO UPDATE SET Kind = excluded.Kind, Value = excluded.Value, SetAt = excluded.SetAt WHERE excluded.SetAt >= profile_properties.SetAt",
            p => [p.ProfileId, p.Key, (int)p.Kind, p.Value, Millis(p.SetAt)], ct);

        await tx.CommitAsync(ct);
    }

    private static long? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    /// <summary>One prepared command, re-bound per row: the fastest way SQLite takes many rows.</summary>
    private static async Task InsertAsync<T>(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<T> rows,
        string sql, Func<T, object?[]> values, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        var first = values(rows[0]);
        var parameters = new DbParameter[first.Length];
        for (var i = 0; i < first.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$" + i;
            command.Parameters.Add(parameters[i]);
        }
        command.Prepare();
        foreach (var row in rows)
        {
            var v = values(row);
            for (var i = 0; i < v.Length; i++)
            {
                parameters[i].Value = v[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }
}
