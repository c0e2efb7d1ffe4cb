using System.Security.Cryptography;
using System.Text;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

public sealed record ApiTokenInfo(int Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool IsAdmin);

/// <summary>Bearer tokens for integrators. Secrets are shown once and stored as SHA-256 hashes.</summary>
public sealed class ApiTokenService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates a token and returns its secret, which is not stored and cannot be shown again.</summary>
    public async Task<(ApiTokenInfo Token, string Secret)> CreateAsync(string name, IReadOnlyList<string> scopes, string user, bool isAdmin, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 100)
        {
            errors.Add("name", "Give the token a name of 1 to 100 characters, such as \"Website tracker\".");
        }
        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s)))
        {
            errors.Add("scopes", $"Choose at least one scope of: {string.Join(", ", ApiScopes.All)}.");
        }
        errors.ThrowIfAny();
        var secret = GeneratedPrefix + Base64UrlSecret();
        var token = await AddAsync(trimmed, secret, scopes, user, isAdmin, ct);
        return (token, secret);
    }

    /// <summary>The automation token of <c>Bootstrap:ApiToken</c>: every scope, created once.</summary>
    public async Task EnsureBootstrapTokenAsync(string secret, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = Hash(secret);
        if (!await db.ApiTokens.AnyAsync(t => t.SecretHash == hash, ct))
        {
            await AddAsync("Bootstrap token", secret, ApiScopes.All, "system", isAdmin: true, ct);
        }
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        return tokens.Select(ToInfo).ToList();
    }

    public async Task RevokeAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FindAsync([id], ct) ?? throw new KeyNotFoundException($"No token {id}.");
        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        _cache.TryRemove(token.SecretHash, out _);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiToken? Token, DateTimeOffset Until)> _cache = new();

    /// <summary>The live token with this secret when it was looked up in the last few seconds, else null (without a lookup).</summary>
    public ApiToken? Cached(string secret) =>
        _cache.TryGetValue(Hash(secret), out var cached) && cached.Until > clock.GetUtcNow() ? cached.Token : null;

    /// <summary>How many secrets are cached (only live tokens are).</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>The live token with this secret, or null. Cached for a few seconds: ingestion authenticates every batch.</summary>
    public async Task<ApiToken?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        var hash = Hash(secret);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Token;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.SecretHash == hash && t.RevokedAt == null, ct);
        if (token is null)
        {
            // Not cached: random secrets would fill the cache. Failures are limited per address instead (FailedAuthentications).
            return null;
        }
        // Recorded at cache misses only: "last used" to within seconds, without a write per request.
        await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), ct);
        _cache[hash] = (token, now.AddSeconds(10));
        return token;
    }

    private async Task<ApiTokenInfo> AddAsync(string name, string secret, IReadOnlyList<string> scopes, string user, bool isAdmin, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = new ApiToken
        {
            Name = name,
            Prefix = PrefixOf(secret),
            SecretHash = Hash(secret),
            Scopes = string.Join(' ', scopes.Distinct()),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = user,
            IsAdmin = isAdmin,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return ToInfo(token);
    }

    /// <summary>
    /// What the token list shows to tell tokens apart: the start of a generated secret ("gd_" and 5 of its 43
    /// random characters). A secret chosen by an operator (<c>Bootstrap:ApiToken</c>) has no part that is safe to show.
    /// </summary>
    public static string PrefixOf(string secret) => secret.StartsWith(GeneratedPrefix, StringComparison.Ordinal) ? secret[..8] : "";

    private const string GeneratedPrefix = "gd_";

    /// <summary>Whether a secret has the form of a generated one ("gd_" and 43 random characters: 256 bits).</summary>
    public static bool IsGenerated(string secret) => secret.Length == GeneratedPrefix.Length + 43 && secret.StartsWith(GeneratedPrefix, StringComparison.Ordinal);

    private static ApiTokenInfo ToInfo(ApiToken t) =>
        new(t.Id, t.Name, t.Prefix.StartsWith(GeneratedPrefix, StringComparison.Ordinal) ? t.Prefix : "", t.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), t.CreatedAt, t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.IsAdmin);

    private static string Base64UrlSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
