namespace GoalsDashboard.Domain;

/// <summary>A saved set of AND-ed profile-property conditions, e.g. <c>lead_source equals webinar</c>.</summary>
public sealed class Segment
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public IReadOnlyList<PropertyFilter> Conditions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}
