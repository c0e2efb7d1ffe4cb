using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>
/// The SQLite file the app serves. An open connection keeps writing into a file that was deleted (its
/// inode lives on until closed), so a commit alone does not prove durability: after every commit the file
/// must still be where the app reads it from, or the write is reported as failed (503) and the pools are
/// cleared, so that later connections fail to open rather than quietly create an empty file.
/// </summary>
public sealed class SqliteDatabaseFile(string connectionString) : IDatabaseHealth
{
    private readonly string? _path = PathOf(connectionString);

    /// <summary>The file a connection string opens, or null for an in-memory database.</summary>
    internal static string? PathOf(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        return csb.Mode == SqliteOpenMode.Memory || csb.DataSource.Length == 0 || csb.DataSource.StartsWith(':') ? null : csb.DataSource;
    }

    /// <summary>Throws <see cref="DatabaseUnavailableException"/> when the file is gone.</summary>
    public void EnsurePresent()
    {
        if (_path is not null && !File.Exists(_path))
        {
            SqliteConnection.ClearAllPools();
            throw new DatabaseUnavailableException($"The database file {_path} is gone; nothing more can be stored until it is back.");
        }
    }

    /// <summary>A fresh connection (not one from the pool, which may still write into a deleted file) tries a write and undoes it.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct = default)
    {
        try
        {
            EnsurePresent();
            var csb = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
            await using var connection = new SqliteConnection(csb.ToString());
            await connection.OpenAsync(ct);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await using var probe = connection.CreateCommand();
            probe.Transaction = tx;
            probe.CommandText = "INSERT INTO workspace_settings (Key, Value) VALUES ('health-probe', '') ON CONFLICT (Key) DO UPDATE SET Value = excluded.Value";
            await probe.ExecuteNonQueryAsync(ct);
            await tx.RollbackAsync(ct);
            return null;
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or SqliteException or IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    public bool IsUnavailable(Exception exception) => exception switch
    {
        DatabaseUnavailableException => true,
        // Cannot open, read-only, disk I/O, full, corrupt, not a database: the file, not the request.
        SqliteException s => s.SqliteErrorCode is 14 or 8 or 10 or 13 or 11 or 26,
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}

/// <summary>Checks <see cref="SqliteDatabaseFile"/> after everything EF Core commits or saves.</summary>
internal sealed class SqliteDurability(SqliteDatabaseFile file) : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        file.EnsurePresent();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        file.EnsurePresent();
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => file.EnsurePresent();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        file.EnsurePresent();
        return Task.CompletedTask;
    }

    // ExecuteUpdate, ExecuteDelete and raw statements outside a transaction commit on their own.
    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        if (command.Transaction is null)
        {
            file.EnsurePresent();
        }
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (command.Transaction is null)
        {
            file.EnsurePresent();
        }
        return ValueTask.FromResult(result);
    }
}
