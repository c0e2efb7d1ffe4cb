using System.Security.Claims;
using System.Text.Encodings.Web;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GoalsDashboard.Api;

/// <summary>Authenticates integrators by <c>Authorization: Bearer &lt;token&gt;</c>; answers 401/403 as problem details.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    FailedAuthentications failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "ApiToken";
    public const string ScopeClaim = "scope";
    public const string TokenIdClaim = "token_id";
    public const string AdminClaim = "token_admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Secret(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }
        var address = Context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        // A blocked address (a shared NAT, say) keeps its working tokens: one used in the last seconds is known
        // without a lookup, and generated secrets are still looked up, since guessing one is hopeless. Only a
        // secret chosen by an operator (Bootstrap:ApiToken), which may be weak, cannot be guessed at from there.
        var token = tokens.Cached(secret);
        var blocked = token is null && failures.IsBlocked(address);
        if (blocked && !ApiTokenService.IsGenerated(secret))
        {
            return Limited();
        }
        token ??= secret.Length == 0 ? null : await tokens.AuthenticateAsync(secret, Context.RequestAborted);
        if (token is null)
        {
            return !blocked && failures.Record(address) ? AuthenticateResult.Fail("The API token is not valid or was revoked.") : Limited();
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"token:{token.Name}"),
            new(TokenIdClaim, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(ScopeClaim, s)));
        if (token.IsAdmin)
        {
            claims.Add(new Claim(AdminClaim, "true"));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme)), Scheme));
    }

    /// <summary>
    /// The token a request carries: <c>Bearer &lt;token&gt;</c>, or on the Plausible-compatible API also HTTP Basic with the
    /// token as the password (the user part, by convention the site's domain, is ignored; a bare token works too).
    /// </summary>
    private static string? Secret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || !PluginsApi.Handles(request))
        {
            return null;
        }
        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return (colon < 0 ? decoded : decoded[(colon + 1)..]).Trim();
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private const string LimitedKey = "gd:auth-limited";

    private AuthenticateResult Limited()
    {
        failures.Refused();
        Context.Items[LimitedKey] = true;
        return AuthenticateResult.Fail("Too many failed authentications from this address.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(LimitedKey))
        {
            Response.Headers.RetryAfter = "60";
            return WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                $"More than {failures.PerMinute} requests from this address carried an invalid token in the last minute; retry after the seconds in Retry-After.");
        }
        if (PluginsApi.Handles(Request))
        {
            // As Plausible's Plugins API answers, which its clients expect.
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = $"Basic realm=\"{PluginsApi.Realm}\"";
            return Response.WriteAsJsonAsync(PluginsApi.Errors("Plugins API: unauthorized"));
        }
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send an API token as 'Authorization: Bearer <token>'. Tokens are created in Settings → API tokens.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (PluginsApi.Handles(Request))
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Response.WriteAsJsonAsync(PluginsApi.Errors($"Plugins API: this token lacks the scope this call needs ({ApiScopes.GoalsRead} to read goals, {ApiScopes.GoalsWrite} to change them)"));
        }
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Missing scope",
            $"This token lacks the scope this endpoint needs ({string.Join(", ", ApiScopes.All)} are the scopes).");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }
        await Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(Context);
    }
}
