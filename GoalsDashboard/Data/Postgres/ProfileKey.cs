namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// A client's profile id and the profile it names. Distributed by the client's id, it keeps the lookup unique when
/// profiles are distributed by their own id (Citus can only enforce uniqueness that includes a table's distribution column).
/// </summary>
public sealed class ProfileKey
{
    public string ExternalId { get; set; } = "";
    public long ProfileId { get; set; }
}
