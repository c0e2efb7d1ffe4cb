using GoalsDashboard.Data;

namespace GoalsDashboard.Analytics;

/// <summary>
/// Who was active in a period (at least one stored event), as a whole, and how many per trend bucket,
/// per channel and per site. It does not depend on a goal: every goal's stats over the same period and
/// filters share one. <see cref="ActivityIndex"/> counts it from daily activity kept in memory; adding
/// events one by one (<see cref="Add"/>, then <see cref="Complete"/>) is the reference it must equal
/// and the way it is counted when the index cannot hold the data. Only the period's set of profiles
/// is kept (segment breakdowns and converter interests need it).
/// </summary>
public sealed class Activity
{
    /// <summary>Dictionary key standing for "no channel" / "no site".</summary>
    internal const string None = "\0";

    private readonly Bucket[] _buckets;
    private readonly Func<long, bool>? _include;
    private readonly HashSet<long>? _profiles;
    private HashSet<long>[]? _byBucket;
    private Dictionary<string, HashSet<long>>? _byChannel = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<long>>? _bySite = new(StringComparer.Ordinal);

    /// <param name="include">The profiles that count (a segment's or campaign's), or null for everyone.</param>
    public Activity(Bucket[] buckets, Func<long, bool>? include = null)
    {
        _buckets = buckets;
        _include = include;
        _byBucket = buckets.Select(_ => new HashSet<long>()).ToArray();
        BucketCounts = new int[buckets.Length];
        _profiles = [];
        Profiles = new HashProfileSet(_profiles);
    }

    /// <summary>Counted already (by <see cref="DailyActivity"/>): nothing more is added.</summary>
    internal Activity(IProfileSet profiles, int[] bucketCounts, Dictionary<string, int> channelCounts, Dictionary<string, int> siteCounts)
    {
        _buckets = [];
        (_byBucket, _byChannel, _bySite) = (null, null, null);
        (Profiles, BucketCounts, ChannelCounts, SiteCounts) = (profiles, bucketCounts, channelCounts, siteCounts);
    }

    public IProfileSet Profiles { get; }

    public int[] BucketCounts { get; }

    public Dictionary<string, int> ChannelCounts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> SiteCounts { get; } = new(StringComparer.Ordinal);

    public void Add(ActivityFact fact)
    {
        if (_include is not null && !_include(fact.ProfileId))
        {
            return;
        }
        _profiles!.Add(fact.ProfileId);
        var bucket = Buckets.IndexOf(_buckets, fact.At);
        if (bucket >= 0)
        {
            _byBucket![bucket].Add(fact.ProfileId);
        }
        SetOf(_byChannel!, fact.Channel).Add(fact.ProfileId);
        SetOf(_bySite!, fact.Site).Add(fact.ProfileId);
    }

    /// <summary>Turns the sets of the scan into counts and lets them go.</summary>
    public Activity Complete()
    {
        for (var i = 0; i < BucketCounts.Length; i++)
        {
            BucketCounts[i] = _byBucket![i].Count;
        }
        foreach (var (key, set) in _byChannel!)
        {
            ChannelCounts[key] = set.Count;
        }
        foreach (var (key, set) in _bySite!)
        {
            SiteCounts[key] = set.Count;
        }
        (_byBucket, _byChannel, _bySite) = (null, null, null);
        return this;
    }

    internal static string KeyOf(string? value) => value ?? None;

    internal static string? ValueOf(string key) => key == None ? null : key;

    private static HashSet<long> SetOf(Dictionary<string, HashSet<long>> sets, string? value)
    {
        var key = KeyOf(value);
        if (!sets.TryGetValue(key, out var set))
        {
            sets[key] = set = [];
        }
        return set;
    }
}

/// <summary>
/// The profiles a segment or campaign filter keeps. A segment keeps its current members; a campaign
/// keeps its audience (entered before the period ended) and, of their completions and conversions,
/// only those at or after their entry.
/// </summary>
public sealed class ProfileScope
{
    public static readonly ProfileScope All = new(null, null, long.MaxValue);

    private readonly IReadOnlySet<long>? _segment;
    private readonly IReadOnlyDictionary<long, long>? _audience;
    private readonly long _endMs;

    public ProfileScope(IReadOnlySet<long>? segmentMembers, IReadOnlyDictionary<long, long>? audience, long periodEndMs)
    {
        _segment = segmentMembers;
        _audience = audience;
        _endMs = periodEndMs;
    }

    public bool IsCampaign => _audience is not null;

    public bool Includes(long profileId) =>
        (_segment is null || _segment.Contains(profileId)) &&
        (_audience is null || (_audience.TryGetValue(profileId, out var entered) && entered < _endMs));

    /// <summary>Whether something the profile did at <paramref name="atMs"/> counts.</summary>
    public bool Keeps(long profileId, long atMs) =>
        (_segment is null || _segment.Contains(profileId)) &&
        (_audience is null || (_audience.TryGetValue(profileId, out var entered) && entered <= atMs));

    /// <summary>The campaign's audience size as of <paramref name="endMs"/> (entered before it), within the segment.</summary>
    public int AudienceSize(long endMs) =>
        _audience!.Count(a => a.Value < endMs && (_segment is null || _segment.Contains(a.Key)));
}
