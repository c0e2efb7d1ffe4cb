using System.Diagnostics;
using GoalsDashboard.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data;

/// <summary>Runs once at start: migrations (with the provider's own set-up), roles, the bootstrap admin and token, demo data.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<AppDbContext> dbFactory,
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    public const string DemoAdminEmail = "admin@demo.local";
    public const string DemoAdminPassword = "Demo!2026";

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await services.GetRequiredService<Sql.ISqlDialect>().MigrateAsync(db, ct);
        }

        // Follow the change log from here: what is in memory from now on is read from the database after this point.
        await services.GetRequiredService<Changes.ChangeFeed>().StartAsync(ct);
        await services.GetRequiredService<WorkspaceSettingsService>().LoadAsync(ct);
        // Built in the background so the first analytics page does not wait for a read of every event.
        _ = services.GetRequiredService<ActivityIndex>().ReadyAsync(services.GetRequiredService<Workspace>().TimeZone);
        // Instances starting together on one database take turns, so the admin, the token and the demo are made once.
        await using var turn = await services.GetRequiredService<Cluster.IClusterLocks>().LockAsync("initialize", ct);
        await using var scope = services.CreateAsyncScope();
        // The sign-in keys: made by the first instance, read by the others.
        scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("startup").Protect([1]);
        await EnsureRolesAsync(scope.ServiceProvider);
        var seedDemo = configuration.GetValue("Demo:Seed", true);
        var adminEmail = configuration["Bootstrap:AdminEmail"];
        var adminPassword = configuration["Bootstrap:AdminPassword"];
        if (!string.IsNullOrWhiteSpace(adminEmail) && !string.IsNullOrWhiteSpace(adminPassword))
        {
            await EnsureUserAsync(scope.ServiceProvider, adminEmail, adminPassword, AppRoles.Admin, "Administrator");
        }
        else if (seedDemo)
        {
            await EnsureUserAsync(scope.ServiceProvider, DemoAdminEmail, DemoAdminPassword, AppRoles.Admin, "Demo Admin");
        }

        var bootstrapToken = configuration["Bootstrap:ApiToken"];
        if (!string.IsNullOrWhiteSpace(bootstrapToken))
        {
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().EnsureBootstrapTokenAsync(bootstrapToken, ct);
        }

        if (seedDemo)
        {
            var stopwatch = Stopwatch.StartNew();
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(ct);
            if (seeded)
            {
                logger.LogInformation("Demo data seeded in {Elapsed} ms", stopwatch.ElapsedMilliseconds);
            }
        }
    }

    private static async Task EnsureRolesAsync(IServiceProvider provider)
    {
        var roles = provider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in AppRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>Creates the user in the role when missing; an existing user keeps its password.</summary>
    public static async Task EnsureUserAsync(IServiceProvider provider, string email, string password, string role, string displayName)
    {
        var users = provider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new StartupConfigurationException(
                    $"Bootstrap:AdminPassword was refused for {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }
        }
        if (!await users.IsInRoleAsync(user, role))
        {
            await users.AddToRoleAsync(user, role);
        }
    }
}
