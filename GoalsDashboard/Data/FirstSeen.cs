namespace GoalsDashboard.Data;

/// <summary>A profile's first seen, as both stores record it from a batch.</summary>
internal static class FirstSeen
{
    /// <summary>
    /// Each profile's earliest item, the earliest stored on ties (so a later tie does not move a first seen):
    /// <paramref name="inStoredOrder"/> is the batch in the order its events are stored.
    /// </summary>
    public static List<T> Earliest<T>(IEnumerable<T> inStoredOrder, Func<T, long> profile, Func<T, long> at)
    {
        var firsts = new Dictionary<long, T>();
        foreach (var item in inStoredOrder)
        {
            if (!firsts.TryGetValue(profile(item), out var first) || at(item) < at(first))
            {
                firsts[profile(item)] = item;
            }
        }
        return firsts.Values.ToList();
    }
}
