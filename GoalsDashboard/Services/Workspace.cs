using GoalsDashboard.Data;

namespace GoalsDashboard.Services;

/// <summary>
/// Workspace-wide settings. The time zone comes from configuration (<c>Workspace:TimeZone</c>) unless an
/// Admin chose one in Settings, which is stored in the database and wins.
/// </summary>
public sealed class Workspace
{
    private volatile TimeZoneInfo? _chosen;

    public Workspace(IConfiguration configuration)
    {
        var zone = configuration["Workspace:TimeZone"];
        if (string.IsNullOrWhiteSpace(zone))
        {
            ConfiguredTimeZone = TimeZoneInfo.Utc;
        }
        else if (TryFindZone(zone, out var found))
        {
            ConfiguredTimeZone = found;
        }
        else
        {
            throw new StartupConfigurationException($"Workspace:TimeZone \"{zone}\" is not an IANA time zone name (for example Europe/Berlin).");
        }
    }

    /// <summary>The zone of the configuration file (UTC when it names none).</summary>
    public TimeZoneInfo ConfiguredTimeZone { get; }

    /// <summary>The zone whose local midnights bound every analytics day.</summary>
    public TimeZoneInfo TimeZone => _chosen ?? ConfiguredTimeZone;

    /// <summary>Whether an Admin's choice overrides the configuration.</summary>
    public bool TimeZoneChosen => _chosen is not null;

    internal void Choose(TimeZoneInfo? zone) => _chosen = zone;

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
