using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>A site seen in events, with its display label and how many events carry it.</summary>
public sealed record SiteItem(string Key, string? Label, DateTimeOffset FirstSeenAt, long Events);

/// <summary>Settings → Sites and time zone: the stored workspace settings.</summary>
public sealed class WorkspaceSettingsService(IDbContextFactory<AppDbContext> dbFactory, Workspace workspace, ActivityIndex activity,
    ILogger<WorkspaceSettingsService> logger) : IChangeHandler
{
    public const string TimeZoneKey = "time_zone";
    public const int MaxLabelLength = 100;

    /// <summary>Applies the stored time zone (at start, and whenever any instance changes it).</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.WorkspaceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == TimeZoneKey, ct);
        if (stored is null)
        {
            workspace.Choose(null);
            return;
        }
        if (Workspace.TryFindZone(stored.Value, out var zone))
        {
            workspace.Choose(zone);
        }
        else
        {
            logger.LogWarning("The stored workspace time zone {Zone} is not known on this machine; using {Configured} from configuration.", stored.Value, workspace.ConfiguredTimeZone.Id);
        }
    }

    /// <summary>IANA time zone names this machine knows, for the picker.</summary>
    public static IReadOnlyList<string> KnownZones() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Chooses the workspace time zone; null goes back to the configured one. Every analytics day follows it at once.</summary>
    public async Task SetTimeZoneAsync(string? id, CancellationToken ct = default)
    {
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(id) && !Workspace.TryFindZone(id, out zone))
        {
            throw new DomainValidationException("time_zone", $"\"{id}\" is not an IANA time zone name (for example Europe/Berlin or America/New_York).");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.WorkspaceSettings.FirstOrDefaultAsync(s => s.Key == TimeZoneKey, ct);
        if (zone is null)
        {
            if (stored is not null)
            {
                db.WorkspaceSettings.Remove(stored);
            }
        }
        else if (stored is null)
        {
            db.WorkspaceSettings.Add(new WorkspaceSetting { Key = TimeZoneKey, Value = zone.Id });
        }
        else
        {
            stored.Value = zone.Id;
        }
        await db.SaveChangesAsync(ct);
        // The change log tells every instance (this one before this returns): see ApplyAsync.
    }

    async ValueTask IChangeHandler.ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct)
    {
        if (changes.Any(c => c.Kind == ChangeKind.Definitions && c.Tables.Contains("workspace_settings")))
        {
            await LoadAsync(ct);
            // Days are counted in the new zone from now on: start re-dividing the activity at once.
            _ = activity.ReadyAsync(workspace.TimeZone);
        }
    }

    void IChangeHandler.Reset()
    {
    }

    public async Task<IReadOnlyList<SiteItem>> SitesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sites = await db.Sites.AsNoTracking().ToListAsync(ct);
        var counts = await db.Events.AsNoTracking().Where(e => e.Site != null).GroupBy(e => e.Site!)
            .Select(g => new { Site = g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Site, g => g.Count, ct);
        return sites.Select(s => new SiteItem(s.Key, s.Label, s.FirstSeenAt, counts.GetValueOrDefault(s.Key)))
            .OrderByDescending(s => s.Events).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets the label shown for a site instead of its key; an empty label shows the key again.</summary>
    public async Task RenameSiteAsync(string key, string? label, CancellationToken ct = default)
    {
        var trimmed = label?.Trim() ?? "";
        if (trimmed.Length > MaxLabelLength)
        {
            throw new DomainValidationException("label", $"The label is {trimmed.Length} characters; the limit is {MaxLabelLength}.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Key == key, ct) ?? throw new KeyNotFoundException($"No events carry the site \"{key}\".");
        site.Label = trimmed.Length == 0 ? null : trimmed;
        await db.SaveChangesAsync(ct);
    }
}
