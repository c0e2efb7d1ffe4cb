using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GoalsDashboard.Benchmarks;

/// <summary>The app's database in a run, on one provider, with that provider's raw baseline beside it.</summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    /// <summary>The settings that point the app at the database.</summary>
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>A connection to the app's database, to watch its progress (SQL with quoted identifiers runs on both).</summary>
    public abstract Task<DbConnection> OpenAsync();

    public abstract string RawLabel { get; }

    /// <summary>
    /// The machine's limit: the same rows, in batches of 1000, into an events table with the three indexes an event
    /// store needs (unique event id; (profile, time); (name, time)), in a database of its own.
    /// </summary>
    public abstract Task<TimeSpan> RawBaselineAsync(EventData data);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected const string RawIndexes = """
        CREATE UNIQUE INDEX raw_event_id ON events ("EventId") WHERE "EventId" IS NOT NULL;
        CREATE INDEX raw_profile_time ON events ("ProfileId", "Timestamp");
        CREATE INDEX raw_name_time ON events ("Name", "Timestamp");
        """;
}

internal sealed class SqliteBench(string path, string folder) : BenchDatabase
{
    public string Path { get; } = path;

    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database__Provider"] = "Sqlite",
        ["ConnectionStrings__Default"] = $"Data Source={Path}",
    };

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public override string RawLabel => "Raw prepared SQLite insert (batches of 1000, three indexes)";

    public override Task<TimeSpan> RawBaselineAsync(EventData data) => RawInsert.RunAsync(System.IO.Path.Combine(folder, "raw.db"), data, RawIndexes);
}

/// <summary>Two databases made on the server for the run (the app's, the baseline's) and dropped after it.</summary>
internal sealed class PostgresBench : BenchDatabase
{
    private readonly string _server;
    private readonly string _name;
    private readonly bool _keep;

    private PostgresBench(string server, string? keep) => (_server, _name, _keep) = (server, keep ?? "goals_bench_" + Guid.NewGuid().ToString("N")[..8], keep is not null);

    /// <summary>True when a kept database (--database) was loaded by an earlier run.</summary>
    public bool Loaded { get; private set; }

    /// <param name="keep">A database to keep after the run (and to reuse, loaded, in the next), or null for a throwaway one.</param>
    public static async Task<PostgresBench> CreateAsync(string server, string? keep = null)
    {
        var bench = new PostgresBench(server, keep);
        await using (var connection = new NpgsqlConnection(bench.Database("postgres")))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_database WHERE datname = '{bench._name}'", connection);
            bench.Loaded = (long)(await exists.ExecuteScalarAsync())! > 0;
        }
        if (!bench.Loaded)
        {
            await bench.ExecuteAsync($"CREATE DATABASE {bench._name}");
        }
        await bench.ExecuteAsync($"DROP DATABASE IF EXISTS {bench._name}_raw WITH (FORCE)");
        await bench.ExecuteAsync($"CREATE DATABASE {bench._name}_raw");
        return bench;
    }

    private string Database(string name) => new NpgsqlConnectionStringBuilder(_server) { Database = name, Pooling = false }.ConnectionString;

    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Default"] = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString,
    };

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Database(_name));
        await connection.OpenAsync();
        return connection;
    }

    public override string RawLabel => "Raw binary COPY into PostgreSQL (batches of 1000, three indexes)";

    public override Task<TimeSpan> RawBaselineAsync(EventData data) => RawCopy.RunAsync(Database(_name + "_raw"), data, RawIndexes);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_keep)
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        }
        await ExecuteAsync($"DROP DATABASE IF EXISTS {_name}_raw WITH (FORCE)");
    }
}
