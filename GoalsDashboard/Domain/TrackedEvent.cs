namespace GoalsDashboard.Domain;

/// <summary>An event as stored. A page view is an event named <see cref="PageViewName"/> with a <see cref="Path"/>.</summary>
public sealed class TrackedEvent
{
    public const string PageViewName = "pageview";

    /// <summary>Store order: among events at the same instant, the lower id was stored first.</summary>
    public long Id { get; set; }
    public long ProfileId { get; set; }
    /// <summary>The client's idempotency key; the first stored event with it wins.</summary>
    public string? EventId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? Site { get; set; }
    public string? Path { get; set; }
    public string? Channel { get; set; }
    public string? Campaign { get; set; }
    /// <summary>The event's properties as a JSON object, kept as received.</summary>
    public string? PropertiesJson { get; set; }
    public decimal? RevenueAmount { get; set; }
    public string? RevenueCurrency { get; set; }
}

/// <summary>A source tag seen on events (a domain or an app), with a display label.</summary>
public sealed class Site
{
    public string Key { get; set; } = "";
    public string? Label { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
}
