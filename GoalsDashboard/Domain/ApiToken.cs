namespace GoalsDashboard.Domain;

public static class ApiScopes
{
    public const string EventsWrite = "events:write";
    public const string GoalsRead = "goals:read";
    public const string GoalsWrite = "goals:write";

    public static readonly IReadOnlyList<string> All = [EventsWrite, GoalsRead, GoalsWrite];
}

/// <summary>An integrator's bearer token. Only a hash of the secret is stored; the secret is shown once.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The first characters of the secret, so people can tell tokens apart.</summary>
    public string Prefix { get; set; } = "";
    public string SecretHash { get; set; } = "";
    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Created by an Admin (or the bootstrap token): may also delete goals permanently.</summary>
    public bool IsAdmin { get; set; }

    public bool HasScope(string scope) => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

/// <summary>A workspace-wide setting such as the time zone.</summary>
public sealed class WorkspaceSetting
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
