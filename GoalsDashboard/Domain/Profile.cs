namespace GoalsDashboard.Domain;

/// <summary>A person or visitor, known to integrators by <see cref="ExternalId"/>.</summary>
public sealed class Profile
{
    public const int MaxExternalIdLength = 200;

    public long Id { get; set; }
    public string ExternalId { get; set; } = "";
    /// <summary>Time of the earliest event; empty while the profile has only property changes.</summary>
    public DateTimeOffset? FirstSeenAt { get; set; }
    public string? FirstChannel { get; set; }
    public string? FirstSite { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The latest value of one property of a profile (segments read these).</summary>
public sealed class ProfileProperty
{
    public long ProfileId { get; set; }
    public string Key { get; set; } = "";
    public PropertyValueKind Kind { get; set; }
    public string? Value { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

/// <summary>One change of one property, kept forever: goals read a property's value as of a moment.</summary>
public sealed class PropertyChange
{
    public long Id { get; set; }
    public long ProfileId { get; set; }
    public string Key { get; set; } = "";
    public PropertyValueKind Kind { get; set; }
    public string? Value { get; set; }
    public DateTimeOffset Timestamp { get; set; }
}
