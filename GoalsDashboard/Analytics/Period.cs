namespace GoalsDashboard.Analytics;

/// <summary>
/// Whole days <see cref="From"/>..<see cref="To"/> (inclusive) in the workspace time zone, as the UTC
/// instants [Start, End) they cover. A day runs from local midnight to local midnight.
/// </summary>
public sealed record Period(DateOnly From, DateOnly To, TimeZoneInfo Zone)
{
    public DateTimeOffset Start => LocalMidnight(From);

    public DateTimeOffset End => LocalMidnight(To.AddDays(1));

    public int Days => To.DayNumber - From.DayNumber + 1;

    public DateTimeOffset LocalMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight skipped by a DST change starts the day at the first valid instant.
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The last <paramref name="days"/> days up to and including today in the zone.</summary>
    public static Period LastDays(int days, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return new Period(today.AddDays(-(days - 1)), today, zone);
    }
}
