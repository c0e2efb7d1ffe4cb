using GoalsDashboard.Analytics;
using GoalsDashboard.Data;

namespace GoalsDashboard.Tests.Funnels;

/// <summary>The funnel of docs/analytics.md on hand-worked conversions (times in hours from 0).</summary>
public class FunnelFiguresTests
{
    private const long Hour = 3_600_000;
    private static readonly (Guid, string)[] Goals = [(Guid.NewGuid(), "Signed up"), (Guid.NewGuid(), "Trial"), (Guid.NewGuid(), "Purchase")];

    private static Dictionary<long, long[]> Times(params (long Profile, long[] Hours)[] rows) =>
        rows.ToDictionary(r => r.Profile, r => r.Hours.Select(h => h * Hour).Order().ToArray());

    private static List<FunnelPath> Run(Dictionary<long, long> first, Dictionary<long, long[]> second, Dictionary<long, long[]> third,
        long? window2 = null, long? window3 = null, long? funnelWindow = null) =>
        FunnelFigures.Paths(first, [second, third], [window2 * Hour, window3 * Hour], funnelWindow * Hour);

    [Fact]
    public void OutOfOrderStepsDoNotCount_TheSameInstantDoes_AndTheEarliestQualifyingConversionIsTaken()
    {
        var first = new Dictionary<long, long> { [1] = 10 * Hour, [2] = 10 * Hour, [3] = 10 * Hour, [4] = 10 * Hour };
        // 1: trial before signup (5) and after (12, 20) → 12; purchase at 11 is before 12 → the one at 30.
        // 2: trial at the same instant as signup → counts; no purchase.
        // 3: trial only before signup → stops at step 1.
        // 4: trial 11, purchase 11 (same instant as trial) → all three.
        var second = Times((1, [5, 20, 12]), (2, [10]), (3, [9]), (4, [11]));
        var third = Times((1, [11, 30]), (4, [11]));
        var paths = Run(first, second, third);
        Assert.Equal([3, 2, 1, 3], paths.OrderBy(p => p.ProfileId).Select(p => p.Reached));
        Assert.Equal([10 * Hour, 12 * Hour, 30 * Hour], paths.Single(p => p.ProfileId == 1).Times);

        var steps = FunnelFigures.Steps(Goals, paths);
        Assert.Equal([4, 3, 2], steps.Select(s => s.Profiles));
        Assert.Equal([100.0, 75.0, 200.0 / 3], steps.Select(s => s.PercentOfPrevious));
        Assert.Equal([100.0, 75.0, 50.0], steps.Select(s => s.PercentOfFirst));
        Assert.Equal([0, 1, 1], steps.Select(s => s.DropOff));
        // From the previous step, in seconds: step 2 → 2 h, 0 h, 1 h (median 1 h); step 3 → 18 h, 0 h (mean of the two).
        Assert.Null(steps[0].MedianSecondsFromPrevious);
        Assert.Equal(3600, steps[1].MedianSecondsFromPrevious);
        Assert.Equal(9 * 3600, steps[2].MedianSecondsFromPrevious);
    }

    [Fact]
    public void Windows_AreInclusiveAtTheirBoundaries()
    {
        var first = new Dictionary<long, long> { [1] = 0, [2] = 0, [3] = 0 };
        var second = Times((1, [24]), (2, [25]), (3, [10]));
        var third = Times((1, [48]), (3, [49]));
        // Step window 24 h: 1 exactly at 24 h counts, 2 at 25 h does not.
        Assert.Equal([3, 1, 3], Run(first, second, third, window2: 24).OrderBy(p => p.ProfileId).Select(p => p.Reached));
        // Funnel window 48 h from step 1: 1's purchase at 48 h counts, 3's at 49 h does not.
        Assert.Equal([3, 2, 2], Run(first, second, third, funnelWindow: 48).OrderBy(p => p.ProfileId).Select(p => p.Reached));
        // Purchase window 24 h after the trial: 1 (24 h → 48 h) exactly at the boundary counts; 3 (10 h → 49 h) does not.
        Assert.Equal([3, 2, 2], Run(first, second, third, window3: 24).OrderBy(p => p.ProfileId).Select(p => p.Reached));
    }

    [Fact]
    public void StepOne_IsTheEarliestKeptConversionInThePeriod_AndAnEmptyFunnelIsZeros()
    {
        var conversions = new[] { new ConversionFact(1, 50, "email", null, null), new ConversionFact(1, 20, "paid", null, null), new ConversionFact(2, 30, null, null, null) };
        var first = FunnelFigures.Earliest(conversions, (profile, at) => at >= 25 || profile == 2);
        Assert.Equal(new Dictionary<long, long> { [1] = 50, [2] = 30 }, first);

        var steps = FunnelFigures.Steps(Goals, []);
        Assert.All(steps, s => Assert.Equal((0, 0.0, 0.0, 0), (s.Profiles, s.PercentOfPrevious, s.PercentOfFirst, s.DropOff)));
    }
}
