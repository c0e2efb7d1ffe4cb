using GoalsDashboard.Data;

namespace GoalsDashboard.Analytics;

/// <summary>One step of a computed funnel (docs/analytics.md).</summary>
public sealed record FunnelStepStats(Guid GoalId, string Name, int Profiles, double PercentOfPrevious, double PercentOfFirst, int DropOff,
    double? MedianSecondsFromPrevious);

/// <summary>Where one profile got to: its step-1 time and the 1-based last step it reached, with the time of each step.</summary>
public sealed record FunnelPath(long ProfileId, long[] Times)
{
    public int Reached => Times.Length;
}

/// <summary>
/// The funnel of docs/analytics.md as arithmetic over stored conversions, no database: step 1 is each candidate's
/// earliest qualifying conversion of goal 1 in the period; step k the earliest conversion of goal k at
/// or after step k−1 (the same instant counts), within the step's window after step k−1 and the
/// funnel's window after step 1 (both inclusive). Later steps may fall after the period.
/// </summary>
public static class FunnelFigures
{
    /// <param name="firstStep">Each candidate profile's qualifying conversion times of goal 1 in the period (already filtered).</param>
    /// <param name="laterSteps">For steps 2…n, each profile's conversion times of that goal from the period's start on, sorted.</param>
    /// <param name="stepWindowsMs">For steps 2…n, the longest time after the previous step (null: none).</param>
    /// <param name="funnelWindowMs">The longest time after step 1 (null: none).</param>
    public static List<FunnelPath> Paths(
        IReadOnlyDictionary<long, long> firstStep,
        IReadOnlyList<IReadOnlyDictionary<long, long[]>> laterSteps,
        IReadOnlyList<long?> stepWindowsMs,
        long? funnelWindowMs)
    {
        var paths = new List<FunnelPath>(firstStep.Count);
        var times = new List<long>(laterSteps.Count + 1);
        foreach (var (profile, start) in firstStep)
        {
            times.Clear();
            times.Add(start);
            for (var k = 0; k < laterSteps.Count; k++)
            {
                var previous = times[^1];
                if (!laterSteps[k].TryGetValue(profile, out var candidates))
                {
                    break;
                }
                var i = Sorted.LowerBound(candidates, previous);
                if (i == candidates.Length)
                {
                    break;
                }
                var at = candidates[i];
                if ((stepWindowsMs[k] is { } stepWindow && at - previous > stepWindow) || (funnelWindowMs is { } window && at - start > window))
                {
                    break;
                }
                times.Add(at);
            }
            paths.Add(new FunnelPath(profile, times.ToArray()));
        }
        return paths;
    }

    /// <summary>The step table of the given paths.</summary>
    public static IReadOnlyList<FunnelStepStats> Steps(IReadOnlyList<(Guid GoalId, string Name)> goals, IReadOnlyCollection<FunnelPath> paths)
    {
        var result = new List<FunnelStepStats>(goals.Count);
        var first = paths.Count;
        var previous = first;
        for (var k = 0; k < goals.Count; k++)
        {
            var reached = paths.Where(p => p.Reached > k).ToList();
            double? median = k == 0 ? null : Rates.Median(reached.Select(p => (p.Times[k] - p.Times[k - 1]) / 1000.0).ToList());
            result.Add(new FunnelStepStats(goals[k].GoalId, goals[k].Name, reached.Count,
                k == 0 ? (first == 0 ? 0 : 100) : Rates.Of(reached.Count, previous), Rates.Of(reached.Count, first),
                k == 0 ? 0 : previous - reached.Count, median));
            previous = reached.Count;
        }
        return result;
    }

    /// <summary>The earliest conversion of each profile, among those the filter keeps.</summary>
    public static Dictionary<long, long> Earliest(IEnumerable<ConversionFact> conversions, Func<long, long, bool> keeps)
    {
        var result = new Dictionary<long, long>();
        foreach (var c in conversions)
        {
            if (keeps(c.ProfileId, c.At) && (!result.TryGetValue(c.ProfileId, out var at) || c.At < at))
            {
                result[c.ProfileId] = c.At;
            }
        }
        return result;
    }
}

/// <summary>Searches in sorted instants.</summary>
public static class Sorted
{
    /// <summary>The index of the first value at or after <paramref name="value"/> (the count of those before it).</summary>
    public static int LowerBound(long[] sorted, long value)
    {
        var (lo, hi) = (0, sorted.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = sorted[mid] < value ? (mid + 1, hi) : (lo, mid);
        }
        return lo;
    }
}
