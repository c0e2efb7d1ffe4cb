using System.Net;
using GoalsDashboard.Data;
using GoalsDashboard.Tests.TestInfrastructure;

namespace GoalsDashboard.Tests.Api;

/// <summary>Roles as the pages enforce them: Viewers read, Editors change goals, Admins also manage settings.</summary>
public class RoleTests(SeededAppFixture fixture) : IClassFixture<SeededAppFixture>
{
    private GoalsAppFactory Factory => fixture.Factory;

    private async Task<HttpClient> SignInAsAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-roles@test.local";
        await Factory.CreateUserAsync(email, "Roles!2026x", role);
        return await Factory.SignedInClientAsync(email, "Roles!2026x");
    }

    private static async Task<string> FirstGoalIdAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/goals");
        var match = System.Text.RegularExpressions.Regex.Match(html, "href=\"goals/([0-9a-fA-F-]{36})\"");
        Assert.True(match.Success, "The list links to each goal's page.");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task Viewer_SeesNoEditActions_OnTheListOrAGoalPage()
    {
        using var client = await SignInAsAsync(AppRoles.Viewer);
        var list = await client.GetStringAsync("/goals");
        Assert.Contains("Trial Signup Completed", list);
        Assert.DoesNotContain("data-testid=\"new-goal\"", list);

        var details = await client.GetStringAsync($"/goals/{await FirstGoalIdAsync(client)}");
        Assert.DoesNotContain("data-testid=\"edit-goal\"", details);
        Assert.DoesNotContain("data-testid=\"archive-goal\"", details);
        Assert.DoesNotContain("data-testid=\"delete-goal\"", details);
    }

    [Theory]
    [InlineData("/goals/new")]
    [InlineData("/goals/{id}/edit")]
    public async Task Viewer_IsRefusedTheEditorPages(string path)
    {
        using var client = await SignInAsAsync(AppRoles.Viewer);
        path = path.Replace("{id}", await FirstGoalIdAsync(client));
        using var response = await client.GetAsync(path);
        // Refused before rendering: the sign-in cookie's access-denied page.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Editor_SeesTheEditActions_ButNotTheAdminOnes()
    {
        using var client = await SignInAsAsync(AppRoles.Editor);
        Assert.Contains("data-testid=\"new-goal\"", await client.GetStringAsync("/goals"));
        var id = await FirstGoalIdAsync(client);
        var details = await client.GetStringAsync($"/goals/{id}");
        Assert.Contains("data-testid=\"edit-goal\"", details);
        Assert.DoesNotContain("data-testid=\"delete-goal\"", details);
        using var edit = await client.GetAsync($"/goals/{id}/edit");
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Contains("Settings are for Admins", await client.GetStringAsync("/settings"));
    }

    [Fact]
    public async Task Admin_ManagesTokensAndPeople_InSettings()
    {
        using var client = await Factory.SignedInClientAsync(GoalsAppFactory.AdminEmail, GoalsAppFactory.AdminPassword);
        var settings = await client.GetStringAsync("/settings");
        Assert.Contains("data-testid=\"new-token\"", settings);
        Assert.DoesNotContain("Settings are for Admins", settings);
        var details = await client.GetStringAsync($"/goals/{await FirstGoalIdAsync(client)}");
        Assert.Contains("data-testid=\"delete-goal\"", details);
    }
}
