using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;

namespace GoalsDashboard.Analytics;

/// <summary>
/// Every rate's denominator, kept in memory: for each local day of the workspace time zone and each
/// (site, channel) pair seen, the set of profiles with an event then. A period's active profiles, per
/// bucket, channel and site are then unions of a few hundred compact sets instead of a scan of every
/// event in the period (hundreds of thousands of rows at 1M events). Built once from the stored events
/// (again when the time zone changes) and kept current by the change log's stored events.
/// </summary>
public sealed class ActivityIndex(IAnalyticsStore store, ILogger<ActivityIndex> logger) : IChangeHandler
{
    private readonly Lock _gate = new();
    private DailyActivity? _days;
    private Task<DailyActivity?>? _build;
    private string? _zoneId;
    private int _generation;
    private List<ActivityFact>? _storedWhileBuilding;

    /// <summary>
    /// Builds the index for the zone unless it is built or being built; null when it cannot hold the
    /// data (a profile id beyond what it stores), and the caller counts from the events instead.
    /// </summary>
    public Task<DailyActivity?> ReadyAsync(TimeZoneInfo zone)
    {
        lock (_gate)
        {
            if (_build is null || _zoneId != zone.Id)
            {
                _zoneId = zone.Id;
                _days = null;
                _storedWhileBuilding = [];
                var generation = ++_generation;
                _build = Task.Run(() => BuildAsync(zone, generation));
            }
            return _build;
        }
    }

    /// <summary>Counts a period's activity; null when the index is not built for the period's zone.</summary>
    public Activity? Count(Period period, Bucket[] buckets, string? site, string? channel, Func<long, bool>? include)
    {
        lock (_gate)
        {
            return _days is { } days && days.Zone.Id == period.Zone.Id ? days.Count(period, buckets, site, channel, include) : null;
        }
    }

    ValueTask IChangeHandler.ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct)
    {
        foreach (var change in changes)
        {
            if (change.Kind == ChangeKind.Events)
            {
                Stored(change.Events);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets the index: it is built again when next asked for.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            (_build, _days, _storedWhileBuilding) = (null, null, null);
            _generation++;
        }
    }

    private void Stored(IReadOnlyList<ActivityFact> facts)
    {
        lock (_gate)
        {
            if (_days is not null)
            {
                if (!_days.AddAll(facts))
                {
                    Unusable();
                }
            }
            else
            {
                // Not built yet: the build's scan may or may not see these; adding them twice is harmless.
                _storedWhileBuilding?.AddRange(facts);
            }
        }
    }

    private async Task<DailyActivity?> BuildAsync(TimeZoneInfo zone, int generation)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var days = new DailyActivity(zone);
        var fits = true;
        try
        {
            await store.ScanActivityAsync(long.MinValue, long.MaxValue, null, null, fact => fits = days.Add(fact) && fits);
        }
        catch (Exception ex)
        {
            // Analytics count from the events meanwhile; the next request tries again.
            logger.LogError(ex, "Building the daily activity index failed");
            lock (_gate)
            {
                if (_generation == generation)
                {
                    (_build, _storedWhileBuilding) = (null, null);
                }
            }
            return null;
        }
        lock (_gate)
        {
            if (_generation != generation)
            {
                return null;
            }
            fits = days.AddAll(_storedWhileBuilding!) && fits;
            _storedWhileBuilding = null;
            if (!fits)
            {
                Unusable();
                return null;
            }
            _days = days;
        }
        logger.LogInformation("Daily activity index built for {Zone} in {Elapsed} ms ({Entries:N0} entries)", zone.Id, started.ElapsedMilliseconds, days.Entries);
        return days;
    }

    private void Unusable()
    {
        logger.LogWarning("A profile id is beyond what the daily activity index holds; activity is counted from the events instead.");
        _days = null;
        _storedWhileBuilding = null;
        _build = Task.FromResult<DailyActivity?>(null);
    }
}

/// <summary>The sets behind <see cref="ActivityIndex"/>; not thread-safe (the index locks around it).</summary>
public sealed class DailyActivity(TimeZoneInfo zone)
{
    private readonly Dictionary<int, CompactProfileSet?[]> _byDay = [];
    private readonly List<(string Site, string Channel)> _pairs = [];
    private readonly Dictionary<(string, string), int> _pairIds = [];
    private int _maxId;
    private (long Start, long End, int Day) _lastDay = (0, 0, 0);

    public TimeZoneInfo Zone { get; } = zone;

    public long Entries { get; private set; }

    /// <summary>Adds one event's activity; false when its profile id does not fit.</summary>
    public bool Add(ActivityFact fact)
    {
        if (fact.ProfileId is < 0 or > int.MaxValue - 64)
        {
            return false;
        }
        var id = (int)fact.ProfileId;
        var pair = PairId(Activity.KeyOf(fact.Site), Activity.KeyOf(fact.Channel));
        var day = DayOf(fact.At);
        if (!_byDay.TryGetValue(day, out var sets) || sets.Length <= pair)
        {
            var grown = new CompactProfileSet?[Math.Max(pair + 1, _pairs.Count)];
            sets?.CopyTo(grown, 0);
            _byDay[day] = sets = grown;
        }
        var set = sets[pair] ??= new CompactProfileSet();
        var before = set.Count;
        set.Add(id);
        Entries += set.Count - before;
        _maxId = Math.Max(_maxId, id);
        return true;
    }

    public bool AddAll(IEnumerable<ActivityFact> facts)
    {
        var fits = true;
        foreach (var fact in facts)
        {
            fits = Add(fact) && fits;
        }
        return fits;
    }

    public Activity Count(Period period, Bucket[] buckets, string? site, string? channel, Func<long, bool>? include)
    {
        var pairs = Enumerable.Range(0, _pairs.Count)
            .Where(i => (site is null || _pairs[i].Site == site) && (channel is null || _pairs[i].Channel == channel))
            .ToArray();
        var (first, last) = (period.From.DayNumber, period.To.DayNumber);

        var profiles = new BitProfileSet(_maxId);
        var intoPeriod = new Into(profiles, null, include);
        Visit(first, last, pairs, ref intoPeriod);

        // One more pass counts every bucket, channel and site. Days come in order, so a profile's stamp
        // (the last bucket it was counted in) tells whether it counts again; channels and sites keep a bit each.
        // Only profiles in the period's set count: it already applied the include test.
        var within = include is null ? null : profiles;
        var stamps = new int[_maxId + 1];
        var bucketCounts = new int[buckets.Length];
        var channelKeys = pairs.Select(p => _pairs[p].Channel).Distinct().ToArray();
        var siteKeys = pairs.Select(p => _pairs[p].Site).Distinct().ToArray();
        var channelSets = channelKeys.Select(_ => new BitProfileSet(_maxId)).ToArray();
        var siteSets = siteKeys.Select(_ => new BitProfileSet(_maxId)).ToArray();
        var channelOf = pairs.ToDictionary(p => p, p => channelSets[Array.IndexOf(channelKeys, _pairs[p].Channel)]);
        var siteOf = pairs.ToDictionary(p => p, p => siteSets[Array.IndexOf(siteKeys, _pairs[p].Site)]);
        var bucket = 0; // buckets start on the period's first day
        for (var day = first; day <= last; day++)
        {
            while (bucket + 1 < buckets.Length && buckets[bucket + 1].Date.DayNumber <= day)
            {
                bucket++;
            }
            if (!_byDay.TryGetValue(day, out var sets))
            {
                continue;
            }
            foreach (var pair in pairs)
            {
                if (pair < sets.Length && sets[pair] is { } set)
                {
                    var tally = new Tally(within, stamps, bucket, bucketCounts, channelOf[pair], siteOf[pair]);
                    set.ForEach(ref tally);
                }
            }
        }
        var channels = channelKeys.Select((key, i) => (key, channelSets[i].Count)).ToDictionary(x => x.key, x => x.Count, StringComparer.Ordinal);
        var sites = siteKeys.Select((key, i) => (key, siteSets[i].Count)).ToDictionary(x => x.key, x => x.Count, StringComparer.Ordinal);
        return new Activity(profiles, bucketCounts, Drop0(channels), Drop0(sites));
    }

    // A pair seen only on other days has nothing in the period; the scan would not have listed it.
    private static Dictionary<string, int> Drop0(Dictionary<string, int> counts)
    {
        foreach (var key in counts.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToList())
        {
            counts.Remove(key);
        }
        return counts;
    }

    private void Visit<T>(int fromDay, int toDay, int[] pairs, ref T visitor) where T : struct, IIdVisitor
    {
        for (var day = fromDay; day <= toDay; day++)
        {
            if (!_byDay.TryGetValue(day, out var sets))
            {
                continue;
            }
            foreach (var pair in pairs)
            {
                if (pair < sets.Length && sets[pair] is { } set)
                {
                    set.ForEach(ref visitor);
                }
            }
        }
    }

    private int PairId(string site, string channel)
    {
        if (!_pairIds.TryGetValue((site, channel), out var id))
        {
            _pairIds[(site, channel)] = id = _pairs.Count;
            _pairs.Add((site, channel));
        }
        return id;
    }

    // The day whose local-midnight bounds hold the instant, exactly as Period draws them (DST included).
    private int DayOf(long ms)
    {
        if (ms >= _lastDay.Start && ms < _lastDay.End)
        {
            return _lastDay.Day;
        }
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Zone).DateTime);
        var bounds = new Period(day, day, Zone);
        while (ms < bounds.Start.ToUnixTimeMilliseconds())
        {
            day = day.AddDays(-1);
            bounds = new Period(day, day, Zone);
        }
        while (ms >= bounds.End.ToUnixTimeMilliseconds())
        {
            day = day.AddDays(1);
            bounds = new Period(day, day, Zone);
        }
        _lastDay = (bounds.Start.ToUnixTimeMilliseconds(), bounds.End.ToUnixTimeMilliseconds(), day.DayNumber);
        return day.DayNumber;
    }

    private readonly struct Into(BitProfileSet target, BitProfileSet? within, Func<long, bool>? include) : IIdVisitor
    {
        public void Visit(int id)
        {
            if ((within is null || within.Contains(id)) && (include is null || include(id)))
            {
                target.Add(id);
            }
        }
    }

    private readonly struct Tally(BitProfileSet? within, int[] stamps, int bucket, int[] bucketCounts, BitProfileSet channel, BitProfileSet site) : IIdVisitor
    {
        public void Visit(int id)
        {
            if (within is not null && !within.Contains(id))
            {
                return;
            }
            if (stamps[id] != bucket + 1)
            {
                stamps[id] = bucket + 1;
                bucketCounts[bucket]++;
            }
            channel.Add(id);
            site.Add(id);
        }
    }
}
