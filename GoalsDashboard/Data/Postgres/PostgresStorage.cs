using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data.Sql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// PostgreSQL (docs/decisions/ADR-004-postgresql.md): its own model and migrations (<see cref="PostgresDbContext"/>),
/// handed to the rest of the app as the <see cref="AppDbContext"/> it derives from.
/// </summary>
internal static class PostgresStorage
{
    public static void Add(IServiceCollection services, string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new StartupConfigurationException(
                $"{DataServiceCollectionExtensions.ConnectionStringKey} must name the PostgreSQL database (for example \"Host=db;Database=goals;Username=goals;Password=…\").");
        }
        NpgsqlConnectionStringBuilder csb;
        try
        {
            csb = new NpgsqlConnectionStringBuilder(configured);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StartupConfigurationException($"{DataServiceCollectionExtensions.ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}");
        }
        if (string.IsNullOrEmpty(csb.Database))
        {
            throw new StartupConfigurationException($"{DataServiceCollectionExtensions.ConnectionStringKey} names no Database.");
        }
        var dataSource = new NpgsqlDataSourceBuilder(csb.ConnectionString).Build();
        services.AddSingleton(dataSource);
        services.AddSingleton<IDatabaseHealth, PostgresDatabaseHealth>();
        services.AddDbContextFactory<PostgresDbContext>((provider, options) => options
            .UseNpgsql(dataSource, npgsql => npgsql.CommandTimeout(60).MigrationsHistoryTable("__EFMigrationsHistory"))
            .AddInterceptors(provider.GetRequiredService<ChangeLogInterceptor>()));
        services.AddSingleton<IDbContextFactory<AppDbContext>, AsAppContexts>();
        // Identity's stores ask for the context by the type they were registered with.
        services.AddScoped<AppDbContext>(provider => provider.GetRequiredService<PostgresDbContext>());
        services.AddSingleton<IEventStore, PostgresEventStore>();
        services.AddSingleton<IResultStore, PostgresResultStore>();
        services.AddSingleton<IEvaluationQueue, PostgresEvaluationQueue>();
        services.AddSingleton<ISqlDialect, PostgresDialect>();
        services.AddSingleton<IChangeLogHorizon, PostgresChangeLogHorizon>();
        services.AddSingleton<Cluster.IClusterLocks, PostgresLocks>();
        services.AddSingleton<Cluster.IRequestLimit, PostgresRequestLimit>();
        services.AddHostedService<PostgresChangeListener>();
        services.AddSingleton<PostgresChangeNotifier>();
        services.AddSingleton<IChangeNotifier>(provider => provider.GetRequiredService<PostgresChangeNotifier>());
        services.AddHostedService(provider => provider.GetRequiredService<PostgresChangeNotifier>());
    }

    private sealed class AsAppContexts(IDbContextFactory<PostgresDbContext> contexts) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => contexts.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await contexts.CreateDbContextAsync(cancellationToken);
    }
}
