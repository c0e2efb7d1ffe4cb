namespace GoalsDashboard.Data;

/// <summary>Profile ids From (inclusive) to To (exclusive).</summary>
public readonly record struct ProfileRange(long From, long To)
{
    /// <summary>Ids 1..<paramref name="maxId"/> cut into <paramref name="parts"/> ranges of equal width.</summary>
    public static IReadOnlyList<ProfileRange> Split(long maxId, int parts)
    {
        var width = Math.Max(1, (maxId + parts) / parts);
        return Enumerable.Range(0, parts)
            .Select(i => new ProfileRange(i == 0 ? long.MinValue : 1 + i * width, i == parts - 1 ? long.MaxValue : 1 + (i + 1) * width)).ToList();
    }
}
