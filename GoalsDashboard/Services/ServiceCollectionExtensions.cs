using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;

namespace GoalsDashboard.Services;

public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddGoalsServices(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Workspace>();
        services.AddSingleton<GoalService>();
        services.AddSingleton<HistoryService>();
        services.AddSingleton<SuggestionService>();
        services.AddSingleton<AnnotationService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<UserAdminService>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<EvaluationService>();
        services.AddMemoryCache();
        services.AddSingleton<ActivityIndex>();
        services.AddSingleton<ResultIndex>();
        services.AddSingleton<AnalyticsService>();
        services.AddSingleton<WorkspaceSettingsService>();
        // What follows the change log, in this order: the indexes, then the settings, then the shared figures pages read.
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<ActivityIndex>());
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<ResultIndex>());
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<WorkspaceSettingsService>());
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<AnalyticsService>());
        services.AddSingleton<CampaignService>();
        services.AddSingleton<SegmentService>();
        services.AddSingleton<FunnelService>();
        services.AddSingleton<BackfillQueue>();
        services.AddHostedService<BackfillWorker>();
        services.AddSingleton<LiveEvaluationSignal>();
        services.AddSingleton<IngestionService>();
        services.AddHostedService<LiveEvaluationWorker>();
        services.AddSingleton<EvaluationProblems>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddScoped<ThemePreference>();
        return services;
    }
}
