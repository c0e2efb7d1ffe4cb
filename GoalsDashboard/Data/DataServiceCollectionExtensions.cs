using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data.Postgres;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringKey = "ConnectionStrings:Default";

    /// <summary>
    /// Registers the database: one context per operation through the factory, and the provider's stores.
    /// Everything provider-specific is chosen here, by <c>Database:Provider</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGoalsData(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Default");
        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            SqliteStorage.Add(builder.Services, connectionString, builder.Environment.ContentRootPath);
        }
        else if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            PostgresStorage.Add(builder.Services, connectionString);
        }
        else
        {
            throw new StartupConfigurationException($"Database:Provider \"{provider}\" is not supported; use \"Sqlite\" or \"Postgres\".");
        }
        builder.Services.AddSingleton<IAnalyticsStore, SqlAnalyticsStore>();
        builder.Services.AddSingleton<Cluster.AppInstance>();
        AddChangeFeed(builder.Services);
        return builder;
    }

    /// <summary>The change log's follower and the interceptor that writes definitions' changes (docs/decisions/ADR-003-change-feed.md).</summary>
    private static void AddChangeFeed(IServiceCollection services)
    {
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<ChangeLogInterceptor>();
        services.AddHostedService<ChangeFeedWorker>();
    }

    /// <summary>A relative SQLite file lives next to the app (its content root), not wherever the shell happens to be.</summary>
    public static string ResolveSqliteConnectionString(string? configured, string contentRoot)
    {
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=goalsdashboard.db" : configured);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StartupConfigurationException($"{ConnectionStringKey} is not a valid SQLite connection string: {ex.Message}");
        }
        if (csb.Mode != SqliteOpenMode.Memory && !csb.DataSource.StartsWith(':') && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
        }
        // Each context opens its own connection; pooling keeps that cheap.
        csb.Pooling = true;
        if (csb.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            // Created once, at start (DatabaseInitializer); a file that disappears later must not come back empty.
            csb.Mode = SqliteOpenMode.ReadWrite;
        }
        return csb.ToString();
    }
}

/// <summary>A setting that stops the app from starting, with a message naming the setting.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
