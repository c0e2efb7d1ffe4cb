using System.Net;
using System.Text.RegularExpressions;
using GoalsDashboard.Api;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GoalsDashboard.Tests.Api;

/// <summary>The security model of docs/security.md, probed as an outside tester would over HTTP.</summary>
public class SecurityTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private GoalsAppFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new GoalsAppFactory(settings: new Dictionary<string, string>
        {
            ["Security:RevalidationSeconds"] = "1",
            ["Api:FailedAuthenticationsPerMinute"] = "20",
        });
        _factory.Logging = _logs;
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task PagesAndApi_CarryTheSecurityHeaders_AndNoHstsOverPlainHttp()
    {
        using var client = _factory.CreateClient();
        foreach (var url in new[] { "/Account/Login", "/api/v1/goals", "/health" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-inline';", csp.Split("style-src")[0]);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), url);
        }
    }

    [Fact]
    public async Task OverHttps_HstsIsSent_AndTheSignInCookieIsSecure()
    {
        var https = new Uri("https://dashboard.example.com");
        using var anonymous = _factory.CreateClient(new() { BaseAddress = https, AllowAutoRedirect = false });
        using var page = await anonymous.GetAsync("/Account/Login");
        Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());

        var client = _factory.CreateClient(new() { BaseAddress = https, AllowAutoRedirect = false, HandleCookies = false });
        var form = await client.GetAsync("/Account/Login");
        var html = await form.Content.ReadAsStringAsync();
        var cookies = form.Headers.GetValues("Set-Cookie").ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = GoalsAppFactory.AdminEmail,
                ["Input.Password"] = GoalsAppFactory.AdminPassword,
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = GoalsAppFactory.HiddenValue(html, "__RequestVerificationToken"),
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        using var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var identity = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("; secure", identity, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", identity, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BehindAProxy_ThatSaysHttps_HstsIsSent()
    {
        // As the README runs it behind a reverse proxy: ASPNETCORE_FORWARDEDHEADERS_ENABLED=true.
        await using var proxied = new GoalsAppFactory(settings: new Dictionary<string, string> { ["FORWARDEDHEADERS_ENABLED"] = "true" });
        using var client = proxied.CreateClient(new() { BaseAddress = new Uri("http://dashboard.example.com") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        using var plain = await client.GetAsync("/Account/Login");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Logout_WithoutItsAntiforgeryToken_DoesNotSignOut()
    {
        using var client = await _factory.SignedInClientAsync(GoalsAppFactory.AdminEmail, GoalsAppFactory.AdminPassword);
        using var forged = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/goals")).StatusCode);

        // The app's own sign-out form carries the token and works.
        var page = await client.GetStringAsync("/goals");
        var token = GoalsAppFactory.HiddenValue(page[page.IndexOf("logout-form", StringComparison.Ordinal)..], "__RequestVerificationToken");
        using var real = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        using var after = await client.GetAsync("/goals");
        Assert.StartsWith("/Account/Login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SignInErrors_DoNotTellWhetherAnAccountExistsOrIsLocked()
    {
        await _factory.CreateUserAsync("locked@test.local", "Locked!2026", AppRoles.Editor);
        var id = await _factory.QueryAsync(db => db.Users.Where(u => u.Email == "locked@test.local").Select(u => u.Id).SingleAsync());
        await _factory.Services.GetRequiredService<UserAdminService>().SetLockedAsync(id, true, GoalsAppFactory.AdminEmail);

        var locked = await _factory.SignInErrorAsync("locked@test.local", "Locked!2026");
        var unknown = await _factory.SignInErrorAsync("nobody@test.local", "Whatever!2026");
        var wrong = await _factory.SignInErrorAsync(GoalsAppFactory.AdminEmail, "wrong-password");
        Assert.Equal("That email and password don't match an account, or the account is locked for a few minutes after too many failed attempts.", unknown);
        Assert.Equal(unknown, locked);
        Assert.Equal(unknown, wrong);
    }

    [Theory]
    [InlineData("demote")]
    [InlineData("lock")]
    [InlineData("delete")]
    public async Task ChangedRoleLockOrRemoval_EndsTheOldCookieWithinSeconds(string change)
    {
        var email = $"{change}-{Guid.NewGuid():N}@test.local";
        await _factory.CreateUserAsync(email, "Second!Admin2026", AppRoles.Admin);
        using var client = await _factory.SignedInClientAsync(email, "Second!Admin2026");
        Assert.Contains("data-testid=\"settings-tabs\"", await client.GetStringAsync("/settings"));

        var users = _factory.Services.GetRequiredService<UserAdminService>();
        var id = await _factory.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await (change switch
        {
            "demote" => users.SetRoleAsync(id, AppRoles.Viewer),
            "lock" => users.SetLockedAsync(id, true, GoalsAppFactory.AdminEmail),
            _ => users.DeleteAsync(id, GoalsAppFactory.AdminEmail),
        });

        await HttpJson.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/settings");
            return response.Headers.Location?.PathAndQuery ?? $"{(int)response.StatusCode}";
        }, location => location.StartsWith("/Account/Login", StringComparison.Ordinal), "sent to sign-in", timeoutMs: 5_000);
    }

    [Fact]
    public async Task InvalidTokens_AreLimitedPerAddress_NotCached_AndLoggedInAggregate()
    {
        using var valid = _factory.ApiClient();
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/goals")).StatusCode);
        var tokens = _factory.Services.GetRequiredService<ApiTokenService>();
        var cached = tokens.CachedCount;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var client = _factory.ApiClient(i % 2 == 0 ? $"gd_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..46] : $"guess-{i}");
            using var response = await client.GetAsync("/api/v1/goals");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.GetValues("Retry-After").Single());
            }
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 20).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10)), answers);
        Assert.Equal(cached, tokens.CachedCount);
        // A token in use keeps working from the same address, and so does a generated one not used lately;
        // a wrong operator-style secret is not even looked up.
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/goals")).StatusCode);
        using var generated = _factory.ApiClient(await _factory.CreateTokenAsync(false, ApiScopes.GoalsRead));
        Assert.Equal(HttpStatusCode.OK, (await generated.GetAsync("/api/v1/goals")).StatusCode);
        using var guess = _factory.ApiClient("password123");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guess.GetAsync("/api/v1/goals")).StatusCode);
        Assert.DoesNotContain(_logs.Lines, l => l.Category == typeof(ApiTokenAuthenticationHandler).FullName);
    }

    [Fact]
    public async Task TokenList_DoesNotShowAnyPartOfAnOperatorChosenSecret()
    {
        var list = await _factory.Services.GetRequiredService<ApiTokenService>().ListAsync();
        Assert.Equal("", list.Single(t => t.Name == "Bootstrap token").Prefix);
        var (created, secret) = await _factory.Services.GetRequiredService<ApiTokenService>().CreateAsync("generated", [ApiScopes.GoalsRead], "test", false);
        Assert.Equal(secret[..8], created.Prefix);
    }
}
