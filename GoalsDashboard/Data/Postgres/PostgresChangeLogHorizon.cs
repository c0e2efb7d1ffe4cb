using GoalsDashboard.Data.Changes;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// Transaction ids from PostgreSQL's snapshots. A change number is taken before its transaction commits, so a
/// number missing from the table may belong to a transaction still running: it is given up only once every
/// transaction that had begun when it was first missed has ended (and a later read still does not find it).
/// </summary>
internal sealed class PostgresChangeLogHorizon(NpgsqlDataSource dataSource) : IChangeLogHorizon
{
    public Task<long?> BegunAsync(CancellationToken ct) => ReadAsync("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", ct);

    public Task<long?> EndedBelowAsync(CancellationToken ct) => ReadAsync("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", ct);

    private async Task<long?> ReadAsync(string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
