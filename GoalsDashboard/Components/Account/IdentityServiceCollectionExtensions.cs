using GoalsDashboard.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace GoalsDashboard.Components.Account;

public static class IdentityServiceCollectionExtensions
{
    public const string LoginPath = "/Account/Login";

    /// <summary>How soon a changed role, a lock or a removal reaches open sessions and circuits (<c>Security:RevalidationSeconds</c>).</summary>
    public static TimeSpan RevalidationInterval(IConfiguration configuration) =>
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Security:RevalidationSeconds", 10.0), 0.5, 3600));

    public static IServiceCollection AddGoalsIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // The keys that sign cookies and antiforgery tokens live in the database: a cookie from one instance opens
        // pages on every other, and survives restarts (docs/decisions/ADR-005-several-instances.md).
        services.AddDataProtection().SetApplicationName("GoalsDashboard").PersistKeysToDbContext<AppDbContext>();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = LoginPath;
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            options.Cookie.HttpOnly = true;
            // Secure whenever the request came over HTTPS, also through a reverse proxy (docs/security.md).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
        // A changed role, a lock or a removal changes the user's security stamp: requests with an older
        // cookie are refused within seconds (the circuit re-checks on the same interval).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidationInterval(configuration));
        services.AddAuthorization();
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The form carries an antiforgery token; without it another site could sign people out.
        endpoints.MapPost("/Account/Logout", async Task<IResult> (HttpContext context, IAntiforgery antiforgery, SignInManager<ApplicationUser> signInManager) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Text("The sign-out form has expired: reload the page and sign out again.", statusCode: StatusCodes.Status400BadRequest);
            }
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~" + LoginPath);
        }).DisableAntiforgery();
        return endpoints;
    }
}
