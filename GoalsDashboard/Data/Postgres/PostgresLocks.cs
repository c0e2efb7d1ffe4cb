using GoalsDashboard.Data.Cluster;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// Advisory locks, each on a connection of its own that is held until the lock is given back: when an instance
/// dies its connections close and PostgreSQL frees its locks, so another instance takes the work over.
/// </summary>
internal sealed class PostgresLocks(NpgsqlDataSource dataSource) : IClusterLocks
{
    /// <summary>Keeps the product's locks apart from any other user of the database's advisory locks.</summary>
    private const int LockClass = 0x6744;

    public async Task<IAsyncDisposable> EvaluationAsync(bool exclusive, CancellationToken ct) =>
        (await AcquireAsync("evaluation", exclusive ? "pg_advisory_lock" : "pg_advisory_lock_shared", ct))!;

    public Task<IAsyncDisposable?> TryLeaseAsync(string name, CancellationToken ct) => AcquireAsync(name, "pg_try_advisory_lock", ct);

    public async Task<IAsyncDisposable> LockAsync(string name, CancellationToken ct) => (await AcquireAsync(name, "pg_advisory_lock", ct))!;

    private async Task<IAsyncDisposable?> AcquireAsync(string name, string function, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT {function}(@class, hashtext(@name))::text", connection);
            command.Parameters.AddWithValue("class", LockClass);
            command.Parameters.AddWithValue("name", name);
            command.CommandTimeout = 0; // waiting for a lock is not a slow query
            // void for the waiting kinds, a boolean for the try kind.
            if (await command.ExecuteScalarAsync(ct) is "false")
            {
                await connection.DisposeAsync();
                return null;
            }
            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection broke: PostgreSQL freed the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
