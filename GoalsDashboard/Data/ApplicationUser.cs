using Microsoft.AspNetCore.Identity;

namespace GoalsDashboard.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }
}

/// <summary>The three roles of the dashboard: Viewers read, Editors change, Admins also manage people and tokens.</summary>
public static class AppRoles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Editor, Viewer];

    /// <summary>Roles that may change goals, funnels, campaigns and segments.</summary>
    public const string CanEdit = Admin + "," + Editor;
}
