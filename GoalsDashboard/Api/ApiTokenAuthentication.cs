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
    public const string Scheme = "ApiToken";
    public const string ScopeClaim = "scope";
    public const string TokenIdClaim = "token_id";
    public const string AdminClaim = "token_admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var address = Context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        var secret = header["Bearer ".Length..].Trim();
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
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send an API token as 'Authorization: Bearer <token>'. Tokens are created in Settings → API tokens.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Missing scope",
            $"This token lacks the scope this endpoint needs ({string.Join(", ", ApiScopes.All)} are the scopes).");

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
