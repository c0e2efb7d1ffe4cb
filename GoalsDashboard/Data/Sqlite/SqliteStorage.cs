using GoalsDashboard.Data.Sql;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>The embedded default: one SQLite file next to the app.</summary>
internal static class SqliteStorage
{
    public static void Add(IServiceCollection services, string? configured, string contentRoot)
    {
        var connectionString = DataServiceCollectionExtensions.ResolveSqliteConnectionString(configured, contentRoot);
        var file = new SqliteDatabaseFile(connectionString);
        services.AddSingleton(file);
        services.AddSingleton<IDatabaseHealth>(file);
        services.AddDbContextFactory<AppDbContext>((provider, options) => options.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(60))
            .AddInterceptors(new SqlitePragmas(), new SqliteDurability(file), provider.GetRequiredService<Changes.ChangeLogInterceptor>()));
        services.AddHostedService(provider => new SqliteCheckpointer(connectionString, provider.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        services.AddSingleton<SqliteWriteGate>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddSingleton<IResultStore, SqliteResultStore>();
        services.AddSingleton<IEvaluationQueue, SqliteEvaluationQueue>();
        services.AddSingleton<ISqlDialect, SqliteDialect>();
        services.AddSingleton<Changes.IChangeLogHorizon, Changes.NoChangeLogHorizon>();
        services.AddSingleton<Changes.IChangeNotifier, Changes.NoChangeNotifier>();
        services.AddSingleton<Cluster.IClusterLocks, Cluster.LocalLocks>();
        services.AddSingleton<Cluster.IRequestLimit, Cluster.LocalRequestLimit>();
    }
}
