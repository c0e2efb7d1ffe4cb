using System.Net.Sockets;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>Whether PostgreSQL takes writes now, and which of its errors mean the server rather than the request.</summary>
internal sealed class PostgresDatabaseHealth(NpgsqlDataSource dataSource) : IDatabaseHealth
{
    public async Task<string?> ProblemAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var probe = new NpgsqlCommand(
                "INSERT INTO workspace_settings (\"Key\", \"Value\") VALUES ('health-probe', '') ON CONFLICT (\"Key\") DO UPDATE SET \"Value\" = excluded.\"Value\"", connection, tx);
            await probe.ExecuteNonQueryAsync(ct);
            await tx.RollbackAsync(ct);
            return null;
        }
        catch (Exception ex) when (IsUnavailable(ex) || ex is NpgsqlException)
        {
            return ex.Message;
        }
    }

    public bool IsUnavailable(Exception exception) => exception switch
    {
        DatabaseUnavailableException => true,
        // Connection lost, server shutting down or out of resources, database read-only, server-side I/O: the server, not the request.
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("58", StringComparison.Ordinal) || p.SqlState == "25006",
        // No answer from the server at all (refused, timed out, dropped).
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        NpgsqlException n when n.IsTransient => true,
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
