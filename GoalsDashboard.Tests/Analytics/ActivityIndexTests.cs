using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>The in-memory daily activity must count exactly what a scan of the events counts.</summary>
public class ActivityIndexTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Kathmandu = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");
    private static readonly string?[] Sites = ["a.example", "b.example", null];
    private static readonly string?[] Channels = ["email", "organic", "paid_search", null];

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 40));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DailyActivity_EqualsAScanOfTheEvents(int seed)
    {
        var random = new Random(seed);
        var zone = seed % 3 == 0 ? Kathmandu : seed % 3 == 1 ? Berlin : TimeZoneInfo.Utc;
        // Around the spring DST change, with events on both sides of local midnights.
        var origin = DateTimeOffset.Parse("2026-03-20T00:00:00Z").ToUnixTimeMilliseconds();
        var facts = Enumerable.Range(0, 400)
            .Select(_ => new ActivityFact(random.Next(1, 60), origin + (long)(random.NextDouble() * 20 * 86_400_000),
                Sites[random.Next(Sites.Length)], Channels[random.Next(Channels.Length)]))
            .ToList();
        var days = new DailyActivity(zone);
        Assert.True(days.AddAll(facts.Take(300)));
        Assert.True(days.AddAll(facts.Skip(250))); // late and repeated facts after the first counts

        var from = new DateOnly(2026, 3, 20).AddDays(random.Next(0, 8));
        var period = new Period(from, from.AddDays(random.Next(0, 12)), zone);
        var interval = (TrendInterval)random.Next(0, 3);
        var buckets = Buckets.For(period, interval);
        var site = random.Next(3) == 0 ? "a.example" : null;
        var channel = random.Next(3) == 0 ? "email" : null;
        Func<long, bool>? include = random.Next(2) == 0 ? id => id % 3 != 0 : null;

        var expected = new Activity(buckets, include);
        foreach (var fact in facts.Where(f => f.At >= period.Start.ToUnixTimeMilliseconds() && f.At < period.End.ToUnixTimeMilliseconds()
                     && (site is null || f.Site == site) && (channel is null || f.Channel == channel)))
        {
            expected.Add(fact);
        }
        expected.Complete();
        var actual = days.Count(period, buckets, site, channel, include);

        Assert.Equal(expected.Profiles.Order(), actual.Profiles.Order());
        Assert.Equal(expected.Profiles.Count, actual.Profiles.Count);
        Assert.Equal(expected.BucketCounts, actual.BucketCounts);
        Assert.Equal(expected.ChannelCounts.OrderBy(kv => kv.Key), actual.ChannelCounts.OrderBy(kv => kv.Key));
        Assert.Equal(expected.SiteCounts.OrderBy(kv => kv.Key), actual.SiteCounts.OrderBy(kv => kv.Key));
        Assert.All(expected.Profiles, p => Assert.True(actual.Profiles.Contains(p)));
        Assert.False(actual.Profiles.Contains(10_000));
    }

    [Fact]
    public void AnEventJustBeforeLocalMidnight_CountsOnThatLocalDay()
    {
        var days = new DailyActivity(Berlin);
        // 22:59:59.999 UTC on 28 March is 23:59:59.999 in Berlin (winter time); the next millisecond is the 29th.
        var lastMoment = DateTimeOffset.Parse("2026-03-28T22:59:59.999Z").ToUnixTimeMilliseconds();
        days.Add(new ActivityFact(1, lastMoment, null, null));
        days.Add(new ActivityFact(2, lastMoment + 1, null, null));
        var period = new Period(new DateOnly(2026, 3, 28), new DateOnly(2026, 3, 29), Berlin);
        var counted = days.Count(period, Buckets.For(period, TrendInterval.Day), null, null, null);
        Assert.Equal([1, 1], counted.BucketCounts);
        Assert.Equal(2, counted.Profiles.Count);
    }

    [Fact]
    public async Task TheIndex_FollowsStoredEvents_AndIsRebuiltForANewTimeZone()
    {
        var stored = new List<ActivityFact> { new(1, DateTimeOffset.Parse("2026-03-28T23:30:00Z").ToUnixTimeMilliseconds(), "a.example", "email") };
        var index = new ActivityIndex(new ScanOnlyStore(stored), NullLogger<ActivityIndex>.Instance);
        IChangeHandler follower = index;
        var day = new DateOnly(2026, 3, 28);
        Activity? CountDay(TimeZoneInfo zone, DateOnly d)
        {
            var period = new Period(d, d, zone);
            return index.Count(period, Buckets.For(period, TrendInterval.Day), null, null, null);
        }

        Assert.Null(CountDay(TimeZoneInfo.Utc, day)); // not built yet: the caller scans instead
        await index.ReadyAsync(TimeZoneInfo.Utc);
        Assert.Equal(1, CountDay(TimeZoneInfo.Utc, day)!.Profiles.Count);

        var late = new ActivityFact(2, DateTimeOffset.Parse("2026-03-28T08:00:00Z").ToUnixTimeMilliseconds(), null, "organic");
        stored.Add(late);
        await follower.ApplyAsync([new Change(1, ChangeKind.Events) { Events = [late] }], default);
        Assert.Equal(2, CountDay(TimeZoneInfo.Utc, day)!.Profiles.Count);

        Assert.Null(CountDay(Berlin, day)); // built for UTC only
        await index.ReadyAsync(Berlin);
        Assert.Equal(1, CountDay(Berlin, day)!.Profiles.Count); // 23:30 UTC is already the 29th in Berlin
        Assert.Equal(1, CountDay(Berlin, day.AddDays(1))!.Profiles.Count);
    }

    [Fact]
    public async Task AProfileIdBeyondTheIndex_FallsBackToScanning()
    {
        var index = new ActivityIndex(new ScanOnlyStore([new(1L + int.MaxValue, 0, null, null)]), NullLogger<ActivityIndex>.Instance);
        Assert.Null(await index.ReadyAsync(TimeZoneInfo.Utc));
        var period = new Period(new DateOnly(1970, 1, 1), new DateOnly(1970, 1, 1), TimeZoneInfo.Utc);
        Assert.Null(index.Count(period, Buckets.For(period, TrendInterval.Day), null, null, null));
    }

    [Fact]
    public async Task AFailedBuild_LeavesCountingToTheScan_AndIsTriedAgain()
    {
        var store = new ScanOnlyStore([new(1, 0, null, null)]) { FailNext = true };
        var index = new ActivityIndex(store, NullLogger<ActivityIndex>.Instance);
        Assert.Null(await index.ReadyAsync(TimeZoneInfo.Utc));
        var period = new Period(new DateOnly(1970, 1, 1), new DateOnly(1970, 1, 1), TimeZoneInfo.Utc);
        Assert.Null(index.Count(period, Buckets.For(period, TrendInterval.Day), null, null, null));
        Assert.NotNull(await index.ReadyAsync(TimeZoneInfo.Utc));
        Assert.Equal(1, index.Count(period, Buckets.For(period, TrendInterval.Day), null, null, null)!.Profiles.Count);
    }

    private sealed class ScanOnlyStore(List<ActivityFact> facts) : AnalyticsStoreStub
    {
        public bool FailNext { get; set; }

        public override Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the database is gone");
            }
            foreach (var fact in facts.Where(f => f.At >= startMs && f.At < endMs).ToList())
            {
                visit(fact);
            }
            return Task.CompletedTask;
        }
    }
}
