namespace GoalsDashboard.Api;

/// <summary>
/// Headers every answer carries (docs/security.md). The Content-Security-Policy allows scripts from the app's
/// own origin only, so an injected inline handler (<c>onerror=…</c>) or inline script never runs, whatever slips
/// through. Blazor Server needs nothing more for scripts (its WebSocket is <c>connect-src 'self'</c>); inline
/// styles stay allowed because MudBlazor and ApexCharts set element styles, which cannot run code.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            // The API reference page's scripts carry a nonce of their own (ApiDocument.MapApiReference).
            headers.ContentSecurityPolicy = context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
                ? ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
                : ContentSecurityPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
