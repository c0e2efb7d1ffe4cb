using GoalsDashboard.Domain;

namespace GoalsDashboard.Ingestion;

/// <summary>An event that passed validation, ready to store.</summary>
public sealed record IncomingEvent(
    string? EventId,
    string ProfileId,
    string Name,
    DateTimeOffset Timestamp,
    string? Site,
    string? Path,
    string? Channel,
    string? Campaign,
    string? PropertiesJson,
    decimal? RevenueAmount,
    string? RevenueCurrency);

/// <summary>A property change that passed validation.</summary>
public sealed record IncomingPropertyChange(string Key, PropertyValue Value);

/// <summary>Property changes of one profile at one moment.</summary>
public sealed record ProfilePropertyChanges(string ProfileId, IReadOnlyList<IncomingPropertyChange> Changes, DateTimeOffset At);

/// <summary>What storing a batch did.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyCollection<long> ProfileIds);

public static class IngestionLimits
{
    public const int MaxBatch = 1000;
    public const long MaxBodyBytes = 5 * 1024 * 1024;
    public const int MaxProperties = 50;
    public const int MaxEventIdLength = 200;
    public const int MaxNameLength = 120;
    public const int MaxSiteLength = 200;
    public const int MaxChannelLength = 100;
    public const int MaxCampaignLength = 200;
    public const int MaxPathLength = 2000;
    public static readonly TimeSpan MaxFuture = TimeSpan.FromHours(1);
}
