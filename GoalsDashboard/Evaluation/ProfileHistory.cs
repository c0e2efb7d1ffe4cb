using GoalsDashboard.Domain;

namespace GoalsDashboard.Evaluation;

/// <summary>One stored event as the evaluator sees it.</summary>
public sealed record EventFact(
    long Id,
    string Name,
    DateTimeOffset Timestamp,
    string? Site = null,
    string? Path = null,
    string? Channel = null,
    IReadOnlyDictionary<string, PropertyValue>? Properties = null,
    decimal? RevenueAmount = null,
    string? RevenueCurrency = null)
{
    public PropertyValue Property(string key) =>
        Properties is not null && Properties.TryGetValue(key, out var value) ? value : PropertyValue.Null;
}

/// <summary>One change of a profile property. <see cref="Order"/> breaks ties between changes at the same instant (later wins).</summary>
public sealed record PropertyFact(string Key, PropertyValue Value, DateTimeOffset Timestamp, long Order = 0);

/// <summary>A conversion recorded through the conversion or external-match API: an input to evaluation, not derived from events.</summary>
public sealed record RecordedConversion(DateTimeOffset Timestamp, ConversionSource Source, decimal? Value, string? Channel, string? Site, long? EventId);

/// <summary>Everything evaluation needs to know about one profile.</summary>
public sealed class ProfileHistory
{
    public ProfileHistory(long profileId, IEnumerable<EventFact> events, IEnumerable<PropertyFact> changes)
    {
        ProfileId = profileId;
        // Time order, then store order: "earliest-stored" is the lower id.
        Events = InOrder(events.ToArray(), (a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Id.CompareTo(b.Id));
        Changes = InOrder(changes.ToArray(), (a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Order.CompareTo(b.Order));
    }

    /// <summary>Stores hand most histories over already in order; a stable sort only when they are not.</summary>
    private static T[] InOrder<T>(T[] items, Comparison<T> compare)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (compare(items[i - 1], items[i]) > 0)
            {
                return items.Order(Comparer<T>.Create(compare)).ToArray();
            }
        }
        return items;
    }

    public long ProfileId { get; }
    public IReadOnlyList<EventFact> Events { get; }
    public IReadOnlyList<PropertyFact> Changes { get; }

    public EventFact? FirstEvent => Events.Count > 0 ? Events[0] : null;

    /// <summary>The value of <paramref name="key"/> set last at or before <paramref name="at"/>; absent when never set.</summary>
    public PropertyValue ValueAsOf(string key, DateTimeOffset at)
    {
        var value = PropertyValue.Null;
        foreach (var change in Changes)
        {
            if (change.Timestamp > at)
            {
                break;
            }
            if (change.Key == key)
            {
                value = change.Value;
            }
        }
        return value;
    }
}
