using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;

namespace GoalsDashboard.Analytics;

/// <summary>
/// The stored completions and conversions of the goals people look at, held in memory in time order,
/// so that a goal's figures for any period and filters are read without fetching tens of thousands of
/// rows from the database on every request. A goal is loaded from the store the first time it is
/// asked for. From then on it follows the change log (docs/decisions/ADR-003-change-feed.md): the results
/// evaluation commits are applied to it, and first-seen times follow the events stored. A whole-goal
/// rewrite (backfill), a recorded conversion or a deletion drops the goal, which is loaded again when
/// next asked for. What this returns must always equal what <see cref="IAnalyticsStore"/> reads.
/// </summary>
public sealed class ResultIndex(IAnalyticsStore store, ILogger<ResultIndex> logger) : IChangeHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, Loading<GoalResults, ResultChange>> _goals = [];
    private readonly PlaceTable _places = new();
    private Loading<FirstSeen, ActivityFact>? _firstSeen;

    /// <summary>
    /// The goal's completions and conversions in [startMs, endMs), narrowed by their site and channel,
    /// exactly as <see cref="IAnalyticsStore.CompletionsAsync"/> and <see cref="IAnalyticsStore.ConversionsAsync"/>
    /// would read them (no conversions unless <paramref name="withConversions"/>); null when they cannot
    /// be loaded (the caller reads the store).
    /// </summary>
    public async Task<(List<CompletionFact> Completions, List<ConversionFact> Conversions)?> ReadAsync(
        Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces, CancellationToken ct = default, bool withConversions = true)
    {
        FirstSeen firstSeen;
        GoalResults results;
        try
        {
            firstSeen = await FirstSeenAsync().WaitAsync(ct);
            results = await GoalAsync(goalId).WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not load the results of goal {Goal} into memory; reading them from the database", goalId);
            return null;
        }
        var (completions, conversions) = results.Read(startMs, endMs, site, channel, withPlaces, withConversions, _places);
        firstSeen.Fill(completions);
        return (completions, conversions);
    }

    /// <summary>
    /// The one source of every figure's results: the goal's completions and conversions in [startMs, endMs), narrowed
    /// by their site and channel, from memory, or read from the store when they cannot be held (no conversions unless
    /// <paramref name="withConversions"/>; their own site and channel only <paramref name="withPlaces"/>).
    /// </summary>
    public async Task<(List<CompletionFact> Completions, List<ConversionFact> Conversions)> ResultsAsync(
        Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces, bool withConversions = true, CancellationToken ct = default) =>
        await ReadAsync(goalId, startMs, endMs, site, channel, withPlaces, ct, withConversions)
        ?? (await store.CompletionsAsync(goalId, startMs, endMs, site, channel, withPlaces, ct),
            withConversions ? await store.ConversionsAsync(goalId, startMs, endMs, site, channel, withPlaces, ct) : []);

    /// <summary>Each kept profile's conversion times of the goal from <paramref name="startMs"/> on, in order (a funnel's later steps).</summary>
    public async Task<Dictionary<long, long[]>> ConversionTimesAsync(Guid goalId, long startMs, Func<long, bool> keep, CancellationToken ct = default)
    {
        var times = new Dictionary<long, List<long>>();
        void Add(long profile, long at)
        {
            if (keep(profile))
            {
                if (!times.TryGetValue(profile, out var list))
                {
                    times[profile] = list = [];
                }
                list.Add(at);
            }
        }
        if (await ReadAsync(goalId, startMs, long.MaxValue, null, null, withPlaces: false, ct) is { } held)
        {
            held.Conversions.ForEach(c => Add(c.ProfileId, c.At));
        }
        else
        {
            await store.ScanConversionTimesAsync(goalId, startMs, Add, ct);
        }
        return times.ToDictionary(t => t.Key, t => t.Value.Order().ToArray());
    }

    ValueTask IChangeHandler.ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case ChangeKind.Events:
                        foreach (var fact in change.Events)
                        {
                            _firstSeen?.Apply(fact);
                        }
                        break;
                    case ChangeKind.Results:
                        foreach (var result in change.Results)
                        {
                            if (_goals.TryGetValue(result.GoalId, out var goal))
                            {
                                goal.Apply(result);
                            }
                        }
                        break;
                    case ChangeKind.GoalResults:
                        foreach (var id in change.Goals)
                        {
                            _goals.Remove(id);
                        }
                        break;
                }
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops everything held: read again from the database when next asked for.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _goals.Clear();
            _firstSeen = null;
        }
    }

    private Task<GoalResults> GoalAsync(Guid goalId)
    {
        lock (_gate)
        {
            if (!_goals.TryGetValue(goalId, out var goal))
            {
                _goals[goalId] = goal = new Loading<GoalResults, ResultChange>(_gate, (results, change) => results.Apply(change, _places));
                goal.Start(() => LoadGoalAsync(goalId), () => _goals.GetValueOrDefault(goalId) == goal, () => _goals.Remove(goalId), results => !results.IsEmpty);
            }
            return goal.Task;
        }
    }

    private async Task<GoalResults> LoadGoalAsync(Guid goalId)
    {
        var completions = new RowBuilder();
        var conversions = new RowBuilder();
        await store.ScanGoalResultsAsync(goalId,
            c => completions.Add(new Row(c.ProfileId, c.At, _places.Of(c.Site, c.Channel), c.Value ?? double.NaN, true)),
            (c, derived) => conversions.Add(new Row(c.ProfileId, c.At, _places.Of(c.Site, c.Channel), c.Value ?? double.NaN, derived)));
        return new GoalResults(completions.ToSortedArray(), conversions.ToSortedArray());
    }

    private Task<FirstSeen> FirstSeenAsync()
    {
        lock (_gate)
        {
            if (_firstSeen is null)
            {
                var loading = _firstSeen = new Loading<FirstSeen, ActivityFact>(_gate, (map, fact) => map.Add(fact.ProfileId, fact.At));
                loading.Start(async () =>
                {
                    var map = new FirstSeen();
                    await store.ScanFirstSeenAsync(map.Add);
                    return map;
                }, () => _firstSeen == loading, () => _firstSeen = null);
            }
            return _firstSeen.Task;
        }
    }

    /// <summary>
    /// Something loaded from the store while changes keep being committed. Changes that arrive during
    /// the load are kept and applied, in order, once it is done: each states a whole new value (a
    /// pair's results, an earlier first event), so applying one the load already saw changes nothing.
    /// All of it happens under the index's one gate; <typeparamref name="T"/> locks itself against readers.
    /// </summary>
    private sealed class Loading<T, TChange>(object gate, Action<T, TChange> apply) where T : class
    {
        private List<TChange>? _pending = [];
        private T? _loaded;

        public Task<T> Task { get; private set; } = null!;

        private Func<T, bool> _keep = _ => true;

        /// <param name="keep">Whether the loaded value is worth holding (an empty one is not: it is read again, cheaply, when next asked for).</param>
        public void Start(Func<Task<T>> load, Func<bool> stillWanted, Action forget, Func<T, bool>? keep = null)
        {
            _keep = keep ?? _keep;
            Task = RunAsync(load, stillWanted, forget);
        }

        public void Apply(TChange change)
        {
            if (_pending is not null)
            {
                _pending.Add(change);
            }
            else
            {
                apply(_loaded!, change);
            }
        }

        private async Task<T> RunAsync(Func<Task<T>> load, Func<bool> stillWanted, Action forget)
        {
            await System.Threading.Tasks.Task.Yield(); // the load runs outside the caller's lock
            T value;
            try
            {
                value = await load();
            }
            catch
            {
                lock (gate)
                {
                    if (stillWanted())
                    {
                        forget(); // tried again on the next read
                    }
                }
                throw;
            }
            lock (gate)
            {
                foreach (var change in _pending!)
                {
                    apply(value, change);
                }
                _pending = null;
                _loaded = value;
                if (!_keep(value) && stillWanted())
                {
                    forget(); // nothing worth holding: read from the store again next time
                }
            }
            return value;
        }
    }

    /// <summary>A stored row: who, when, where (an index into <see cref="PlaceTable"/>), its value (NaN for none), and whether evaluation wrote it.</summary>
    private readonly record struct Row(long ProfileId, long At, int Place, double Value, bool Derived);

    /// <summary>
    /// Rows gathered in small blocks and copied once into an array of the exact size: a goal's rows
    /// are held for long, and growing one list would leave up to twice their size behind as garbage.
    /// </summary>
    private sealed class RowBuilder
    {
        private const int BlockSize = 2048; // 64 KB: below the large object heap
        private readonly List<Row[]> _blocks = [];
        private int _count;

        public void Add(Row row)
        {
            if (_count % BlockSize == 0)
            {
                _blocks.Add(new Row[BlockSize]);
            }
            _blocks[^1][_count % BlockSize] = row;
            _count++;
        }

        public Row[] ToSortedArray()
        {
            var rows = new Row[_count];
            for (var i = 0; i < _blocks.Count; i++)
            {
                _blocks[i].AsSpan(0, Math.Min(BlockSize, _count - i * BlockSize)).CopyTo(rows.AsSpan(i * BlockSize));
            }
            _blocks.Clear();
            return GoalResults.Sorted(rows);
        }
    }

    /// <summary>Each distinct (site, channel) pair once, so rows hold a number instead of two strings.</summary>
    private sealed class PlaceTable
    {
        private readonly Dictionary<(string?, string?), int> _ids = [];
        private readonly List<(string? Site, string? Channel)> _places = [];

        public int Of(string? site, string? channel)
        {
            lock (_ids)
            {
                if (!_ids.TryGetValue((site, channel), out var id))
                {
                    _ids[(site, channel)] = id = _places.Count;
                    _places.Add((site, channel));
                }
                return id;
            }
        }

        public (string? Site, string? Channel)[] Snapshot()
        {
            lock (_ids)
            {
                return [.. _places];
            }
        }
    }

    /// <summary>Each profile's earliest event time.</summary>
    private sealed class FirstSeen
    {
        private readonly Dictionary<long, long> _first = [];

        public void Add(long profileId, long at)
        {
            lock (_first)
            {
                if (!_first.TryGetValue(profileId, out var known) || at < known)
                {
                    _first[profileId] = at;
                }
            }
        }

        public void Fill(List<CompletionFact> completions)
        {
            lock (_first)
            {
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(completions);
                foreach (ref var c in span)
                {
                    c = c with { FirstSeenAt = _first.TryGetValue(c.ProfileId, out var at) ? at : null };
                }
            }
        }
    }

    /// <summary>
    /// One goal's rows sorted by time, and the (goal, profile) results committed since they were
    /// sorted, which override that profile's rows. The overrides are merged in once they are many.
    /// </summary>
    private sealed class GoalResults
    {
        private Row[] _completions;
        private Row[] _conversions;
        private readonly Dictionary<long, ResultChange> _overrides = [];

        public GoalResults(Row[] sortedCompletions, Row[] sortedConversions)
        {
            _completions = sortedCompletions;
            _conversions = sortedConversions;
        }

        public bool IsEmpty
        {
            get
            {
                lock (this)
                {
                    return _completions.Length == 0 && _conversions.Length == 0 && _overrides.Count == 0;
                }
            }
        }

        public void Apply(ResultChange change, PlaceTable places)
        {
            lock (this)
            {
                _overrides[change.ProfileId] = change;
                if (_overrides.Count > Math.Max(1024, (_completions.Length + _conversions.Length) / 8))
                {
                    Merge(places);
                }
            }
        }

        public (List<CompletionFact>, List<ConversionFact>) Read(long startMs, long endMs, string? site, string? channel, bool withPlaces, bool withConversions,
            PlaceTable places)
        {
            lock (this)
            {
                var table = places.Snapshot();
                var kept = table.Select(p => (site is null || p.Site == site) && (channel is null || p.Channel == channel)).ToArray();
                var overridden = _overrides.Count > 0;
                var completionRows = Range(_completions, startMs, endMs);
                var completions = new List<CompletionFact>(completionRows.Count);
                foreach (var r in completionRows)
                {
                    if (kept[r.Place] && !(overridden && _overrides.ContainsKey(r.ProfileId)))
                    {
                        var (s, c) = withPlaces ? table[r.Place] : default;
                        completions.Add(new CompletionFact(r.ProfileId, r.At, c, s, ValueOf(r.Value), null));
                    }
                }
                var conversionRows = withConversions ? Range(_conversions, startMs, endMs) : ArraySegment<Row>.Empty;
                var conversions = new List<ConversionFact>(conversionRows.Count);
                foreach (var r in conversionRows)
                {
                    if (kept[r.Place] && !(overridden && r.Derived && _overrides.ContainsKey(r.ProfileId)))
                    {
                        var (s, c) = withPlaces ? table[r.Place] : default;
                        conversions.Add(new ConversionFact(r.ProfileId, r.At, c, s, ValueOf(r.Value)));
                    }
                }
                bool Keeps(long at, string? s, string? c) => at >= startMs && at < endMs && (site is null || s == site) && (channel is null || c == channel);
                foreach (var change in _overrides.Values)
                {
                    if (change.Completion is { } done && Keeps(done.At, done.Site, done.Channel))
                    {
                        completions.Add(withPlaces ? done : done with { Site = null, Channel = null });
                    }
                    foreach (var conversion in withConversions ? change.Conversions : [])
                    {
                        if (Keeps(conversion.At, conversion.Site, conversion.Channel))
                        {
                            conversions.Add(withPlaces ? conversion : conversion with { Site = null, Channel = null });
                        }
                    }
                }
                return (completions, conversions);
            }
        }

        private static double? ValueOf(double value) => double.IsNaN(value) ? null : value;

        private static ArraySegment<Row> Range(Row[] rows, long startMs, long endMs)
        {
            var from = LowerBound(rows, startMs);
            return new ArraySegment<Row>(rows, from, LowerBound(rows, endMs) - from);
        }

        private static int LowerBound(Row[] rows, long at)
        {
            var (lo, hi) = (0, rows.Length);
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (rows[mid].At < at)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }

        private void Merge(PlaceTable places)
        {
            var completions = _completions.Where(r => !_overrides.ContainsKey(r.ProfileId)).ToList();
            var conversions = _conversions.Where(r => !(r.Derived && _overrides.ContainsKey(r.ProfileId))).ToList();
            foreach (var change in _overrides.Values)
            {
                if (change.Completion is { } c)
                {
                    completions.Add(new Row(c.ProfileId, c.At, places.Of(c.Site, c.Channel), c.Value ?? double.NaN, true));
                }
                conversions.AddRange(change.Conversions.Select(v => new Row(v.ProfileId, v.At, places.Of(v.Site, v.Channel), v.Value ?? double.NaN, true)));
            }
            _completions = Sorted([.. completions]);
            _conversions = Sorted([.. conversions]);
            _overrides.Clear();
        }

        /// <summary>Sorts by time in place, unless the rows came in time order already (as the store reads them).</summary>
        public static Row[] Sorted(Row[] rows)
        {
            for (var i = 1; i < rows.Length; i++)
            {
                if (rows[i].At < rows[i - 1].At)
                {
                    Array.Sort(rows, static (a, b) => a.At.CompareTo(b.At));
                    break;
                }
            }
            return rows;
        }
    }
}
