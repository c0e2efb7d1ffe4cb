using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Api;

public class UserAdminTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new(seedDemo: false);

    private UserAdminService Users => _factory.Services.GetRequiredService<UserAdminService>();

    public Task InitializeAsync()
    {
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AddedPerson_CanSignIn_WithTheirRole()
    {
        await Users.CreateAsync("new.editor@test.local", "New Editor", "Editor!2026x", AppRoles.Editor);

        var listed = Assert.Single(await Users.ListAsync(), u => u.Email == "new.editor@test.local");
        Assert.Equal(AppRoles.Editor, listed.Role);
        using var client = await _factory.SignedInClientAsync("new.editor@test.local", "Editor!2026x");
        Assert.Contains("data-testid=\"new-goal\"", await client.GetStringAsync("/goals"));
    }

    [Fact]
    public async Task WeakPasswordOrTakenEmail_IsRefused_WithTheField()
    {
        var weak = await Assert.ThrowsAsync<DomainValidationException>(() => Users.CreateAsync("weak@test.local", null, "short", AppRoles.Viewer));
        Assert.Contains("password", weak.Errors.Keys);
        var taken = await Assert.ThrowsAsync<DomainValidationException>(() => Users.CreateAsync(GoalsAppFactory.AdminEmail, null, "Another!2026x", AppRoles.Viewer));
        Assert.Contains("email", taken.Errors.Keys);
    }

    [Fact]
    public async Task TheLastAdmin_CannotBeDemotedOrRemoved()
    {
        var admin = Assert.Single(await Users.ListAsync(), u => u.Role == AppRoles.Admin);

        var demote = await Assert.ThrowsAsync<DomainValidationException>(() => Users.SetRoleAsync(admin.Id, AppRoles.Viewer));
        Assert.Contains("only Admin", demote.Message);
        await Assert.ThrowsAsync<DomainValidationException>(() => Users.DeleteAsync(admin.Id, "someone.else@test.local"));

        // With a second Admin, the first may step down.
        await Users.CreateAsync("second.admin@test.local", null, "Second!2026x", AppRoles.Admin);
        await Users.SetRoleAsync(admin.Id, AppRoles.Viewer);
        Assert.Equal(AppRoles.Viewer, (await Users.ListAsync()).Single(u => u.Id == admin.Id).Role);
    }

    [Fact]
    public async Task NobodyRemovesThemselves()
    {
        await Users.CreateAsync("second.admin@test.local", null, "Second!2026x", AppRoles.Admin);
        var self = (await Users.ListAsync()).Single(u => u.Email == GoalsAppFactory.AdminEmail);
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Users.DeleteAsync(self.Id, GoalsAppFactory.AdminEmail));
        Assert.Contains("your own account", error.Message);
    }
}
