namespace GoalsDashboard.Domain;

public sealed class Campaign
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The value events carry in their <c>campaign</c> field.</summary>
    public string Key { get; set; } = "";
    public string Channel { get; set; } = "";
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>
/// A profile in a campaign's audience. It entered at the earlier of its first event carrying the
/// campaign key and its imported entry time.
/// </summary>
public sealed class AudienceEntry
{
    public int CampaignId { get; set; }
    public long ProfileId { get; set; }
    public DateTimeOffset? FirstEventAt { get; set; }
    public DateTimeOffset? ImportedAt { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
}
