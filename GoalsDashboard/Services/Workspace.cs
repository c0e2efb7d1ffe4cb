using GoalsDashboard.Data;

namespace GoalsDashboard.Services;

/// <summary>Workspace-wide settings read from configuration.</summary>
public sealed class Workspace
{
    public Workspace(IConfiguration configuration)
    {
        var zone = configuration["Workspace:TimeZone"];
        try
        {
            TimeZone = string.IsNullOrWhiteSpace(zone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new StartupConfigurationException($"Workspace:TimeZone \"{zone}\" is not an IANA time zone name (for example Europe/Berlin).");
        }
    }

    public TimeZoneInfo TimeZone { get; }
}
