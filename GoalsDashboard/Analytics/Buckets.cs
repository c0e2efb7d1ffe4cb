namespace GoalsDashboard.Analytics;

/// <summary>One trend bucket: its first day inside the period and the UTC instants [Start, End) it covers.</summary>
public readonly record struct Bucket(DateOnly Date, long StartMs, long EndMs);

public static class Buckets
{
    /// <summary>
    /// Day, ISO week (Monday first) or calendar-month buckets covering the period, every one present;
    /// the first and last are clipped to the period. Boundaries are local midnights in the period's zone.
    /// </summary>
    public static Bucket[] For(Period period, TrendInterval interval)
    {
        var buckets = new List<Bucket>();
        var day = period.From;
        while (day <= period.To)
        {
            var next = interval switch
            {
                TrendInterval.Week => day.AddDays(DaysToNextMonday(day)),
                TrendInterval.Month => new DateOnly(day.Year, day.Month, 1).AddMonths(1),
                _ => day.AddDays(1),
            };
            if (next > period.To.AddDays(1))
            {
                next = period.To.AddDays(1);
            }
            buckets.Add(new Bucket(day, period.LocalMidnight(day).ToUnixTimeMilliseconds(), period.LocalMidnight(next).ToUnixTimeMilliseconds()));
            day = next;
        }
        return buckets.ToArray();
    }

    private static int DaysToNextMonday(DateOnly day)
    {
        var days = ((int)DayOfWeek.Monday - (int)day.DayOfWeek + 7) % 7;
        return days == 0 ? 7 : days;
    }

    /// <summary>The index of the bucket holding the instant, or -1 outside them all.</summary>
    public static int IndexOf(Bucket[] buckets, long ms)
    {
        int lo = 0, hi = buckets.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ms < buckets[mid].StartMs)
            {
                hi = mid - 1;
            }
            else if (ms >= buckets[mid].EndMs)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }
}
