using GoalsDashboard.Api;
using GoalsDashboard.Components;
using GoalsDashboard.Components.Account;
using GoalsDashboard.Data;
using GoalsDashboard.Services;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// dotnet run serves the packages' static files (MudBlazor's CSS and JS) only in Development unless asked;
// a published app has them in wwwroot, where this finds no manifest and changes nothing.
builder.WebHost.UseStaticWebAssets();

try
{
    builder.AddGoalsData();
}
catch (StartupConfigurationException ex)
{
    Console.Error.WriteLine($"crit: GoalsDashboard cannot start: {ex.Message}");
    return 1;
}
builder.Services.AddGoalsIdentity(builder.Configuration);
builder.Services.AddGoalsServices();
builder.Services.AddGoalsApi(builder.Configuration);
builder.Services.AddGoalsApiDocument();
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

try
{
    _ = app.Services.GetRequiredService<Workspace>(); // validates Workspace:TimeZone now, not at the first page
    await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}
catch (Exception ex) when (ex is StartupConfigurationException or System.Data.Common.DbException or IOException or UnauthorizedAccessException
    or InvalidOperationException { InnerException: System.Data.Common.DbException })
{
    var message = ex is StartupConfigurationException
        ? ex.Message
        : $"the database of {DataServiceCollectionExtensions.ConnectionStringKey} could not be opened or written ({ex.Message})";
    app.Logger.LogCritical("GoalsDashboard cannot start: {Reason}", message);
    await app.DisposeAsync(); // flushes the console logger's queue before the process ends
    return 1;
}

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    // Only over HTTPS (directly, or behind a proxy that says so in X-Forwarded-Proto): see docs/security.md.
    app.UseHsts();
}
if (app.Configuration["https_port"] is { Length: > 0 } || (app.Configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase))
{
    app.UseHttpsRedirection();
}

// The API answers with problem details (its own handler, inside); the dashboard with its own error and
// not-found pages. The page handler stays on the main pipeline: re-executed from inside a branch, /Error is not found.
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler());
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthEndpoint();
app.MapAccountEndpoints();
app.MapGoalsApi();
app.MapPluginsApi();
app.MapOpenApi(ApiDocument.Route).AllowAnonymous();
app.MapApiReference();
app.MapExportEndpoints();
// frame-ancestors is in the app's own Content-Security-Policy (SecurityHeaders).
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
