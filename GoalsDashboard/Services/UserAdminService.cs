using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

public sealed record UserInfo(string Id, string Email, string? DisplayName, string Role, bool LockedOut);

/// <summary>
/// People and their roles, for Admins. Uses a scope of its own per call so that a long-lived
/// Blazor circuit never holds a stale Identity context.
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var roleOf = await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            select new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = roleOf.GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => Strongest(g.Select(x => x.Name!)));
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserInfo(u.Id, u.Email ?? u.UserName ?? "", u.DisplayName,
            byUser.GetValueOrDefault(u.Id, AppRoles.Viewer), u.LockoutEnd > now)).ToList();
    }

    /// <summary>Adds a person with a first password they can sign in with.</summary>
    public async Task<UserInfo> CreateAsync(string email, string? displayName, string password, string role, CancellationToken ct = default)
    {
        CheckRole(role);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        email = email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new DomainValidationException("email", $"{email} already has an account.");
        }
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim() };
        ThrowOnFailure(await users.CreateAsync(user, password));
        ThrowOnFailure(await users.AddToRoleAsync(user, role));
        return new UserInfo(user.Id, email, user.DisplayName, role, false);
    }

    /// <summary>Gives a person exactly one role. The last Admin cannot lose the role, so the workspace always has one.</summary>
    public async Task SetRoleAsync(string userId, string role, CancellationToken ct = default)
    {
        CheckRole(role);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException("That person no longer has an account.");
        var current = await users.GetRolesAsync(user);
        if (current.Contains(AppRoles.Admin) && role != AppRoles.Admin)
        {
            await EnsureAnotherAdminAsync(users, user);
        }
        ThrowOnFailure(await users.RemoveFromRolesAsync(user, current));
        ThrowOnFailure(await users.AddToRoleAsync(user, role));
        // Role claims live in the sign-in cookie; a new stamp makes the cookie re-validate.
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>
    /// Locks a person out (they cannot sign in, and their open sessions end within seconds) or lets them in
    /// again. Nobody locks themselves, and the last Admin stays able to sign in.
    /// </summary>
    public async Task SetLockedAsync(string userId, bool locked, string currentUserName, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException("That person no longer has an account.");
        if (locked)
        {
            if (string.Equals(user.UserName, currentUserName, StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainValidationException("user", "You cannot lock your own account.");
            }
            if (await users.IsInRoleAsync(user, AppRoles.Admin))
            {
                await EnsureAnotherAdminAsync(users, user);
            }
        }
        ThrowOnFailure(await users.SetLockoutEnabledAsync(user, true));
        ThrowOnFailure(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
        if (!locked)
        {
            ThrowOnFailure(await users.ResetAccessFailedCountAsync(user));
        }
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>Removes a person's account. Nobody removes themselves, and the last Admin stays.</summary>
    public async Task DeleteAsync(string userId, string currentUserName, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException("That person no longer has an account.");
        if (string.Equals(user.UserName, currentUserName, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainValidationException("user", "You cannot remove your own account.");
        }
        if (await users.IsInRoleAsync(user, AppRoles.Admin))
        {
            await EnsureAnotherAdminAsync(users, user);
        }
        ThrowOnFailure(await users.DeleteAsync(user));
    }

    private async Task EnsureAnotherAdminAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var admins = await users.GetUsersInRoleAsync(AppRoles.Admin);
        var now = clock.GetUtcNow();
        if (admins.All(a => a.Id == user.Id || a.LockoutEnd > now))
        {
            throw new DomainValidationException("role", "This is the only Admin who can sign in. Make someone else an Admin first.");
        }
    }

    private static string Strongest(IEnumerable<string> roles) =>
        AppRoles.All.FirstOrDefault(roles.Contains) ?? AppRoles.Viewer;

    private static void CheckRole(string role)
    {
        if (!AppRoles.All.Contains(role))
        {
            throw new DomainValidationException("role", $"Choose a role of: {string.Join(", ", AppRoles.All)}.");
        }
    }

    private static void ThrowOnFailure(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            var field = result.Errors.Any(e => e.Code.Contains("Password", StringComparison.Ordinal)) ? "password"
                : result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal)) ? "email" : "user";
            throw new DomainValidationException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
