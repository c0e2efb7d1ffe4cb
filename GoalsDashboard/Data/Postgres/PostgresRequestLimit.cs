using GoalsDashboard.Data.Cluster;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The per-token limit counted in <c>rate_buckets</c> by every instance together: a tenth of a minute's requests per
/// ten-second window of the database's clock (one statement per request, atomic under concurrency). Tolerance: the
/// total per minute holds exactly; a burst that spans a window's end may reach twice a window's share.
/// </summary>
internal sealed class PostgresRequestLimit(NpgsqlDataSource dataSource, IConfiguration configuration) : IRequestLimit
{
    public const int WindowSeconds = 10;

    private readonly int _perWindow = Math.Max(1, IRequestLimit.PerMinute(configuration) * WindowSeconds / 60);

    public async ValueTask<bool> TryTakeAsync(string partition, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO rate_buckets AS b ("Partition", "Window", "Count")
            VALUES ($1, floor(extract(epoch FROM clock_timestamp()) / {WindowSeconds})::bigint, 1)
            ON CONFLICT ("Partition") DO UPDATE SET
                "Count" = CASE WHEN b."Window" >= excluded."Window" THEN b."Count" + 1 ELSE 1 END,
                "Window" = GREATEST(b."Window", excluded."Window")
            RETURNING "Count"
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition });
        return (int)(await command.ExecuteScalarAsync(ct))! <= _perWindow;
    }
}
