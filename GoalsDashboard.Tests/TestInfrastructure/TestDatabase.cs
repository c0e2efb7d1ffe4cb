using GoalsDashboard.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// A database of a test's own, on the provider this run tests: a SQLite file in a temporary folder, or, when
/// test.sh runs the suite again on PostgreSQL (<c>GOALS_TEST_PROVIDER=Postgres</c>, with the throwaway server's
/// address in <c>GOALS_TEST_POSTGRES</c>), a new database on that server, copied from a migrated template.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    private TestDatabase(string provider, string connectionString, string? file, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        SqlitePath = file;
        _postgresName = name;
    }

    private readonly string? _postgresName;

    /// <summary>Whether this run tests PostgreSQL.</summary>
    public static bool OnPostgres => string.Equals(Environment.GetEnvironmentVariable("GOALS_TEST_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase);

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite file (null on PostgreSQL).</summary>
    public string? SqlitePath { get; }

    /// <summary>The settings that point the app at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database:Provider"] = Provider,
        ["ConnectionStrings:Default"] = ConnectionString,
    };

    /// <summary>
    /// A new empty database: on SQLite a file (not yet created) in <paramref name="folder"/>; on PostgreSQL a copy of a
    /// migrated template, or with <paramref name="migrated"/> false a database with no tables (the app migrates it).
    /// </summary>
    public static TestDatabase Create(string folder, bool migrated = true)
    {
        if (!OnPostgres)
        {
            var file = Path.Combine(folder, "goals.db");
            return new TestDatabase("Sqlite", $"Data Source={file}", file, null);
        }
        var server = Environment.GetEnvironmentVariable("GOALS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("GOALS_TEST_PROVIDER=Postgres needs GOALS_TEST_POSTGRES, the server's connection string (test.sh sets both).");
        var name = "gd_" + Guid.NewGuid().ToString("N");
        Execute(server, migrated ? $"CREATE DATABASE {name} TEMPLATE {Template(server)}" : $"CREATE DATABASE {name}");
        return new TestDatabase("Postgres", With(server, name), null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await Task.Run(() => Execute(Environment.GetEnvironmentVariable("GOALS_TEST_POSTGRES")!, $"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)"));
    }

    /// <summary>Migrating takes seconds; copying a migrated template takes a fraction of one. Made once per test run.</summary>
    private static string Template(string server)
    {
        TemplateLock.Wait();
        try
        {
            if (_template is not null)
            {
                return _template;
            }
            var name = $"gd_template_{Environment.ProcessId}";
            Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            Execute(server, $"CREATE DATABASE {name}");
            var options = new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(With(server, name) + ";Pooling=false").Options;
            using (var db = new PostgresDbContext(options))
            {
                db.Database.Migrate();
            }
            // The template outlives every test's database; it goes when the run ends, so that a run against a server
            // of one's own leaves nothing behind (a run cut short leaves it, to be dropped by a later run of that process id).
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    NpgsqlConnection.ClearAllPools();
                    Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    // The server went first (test.sh stops its throwaway one after the run): nothing is left to drop.
                }
            };
            return _template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static string With(string server, string database) => new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
