using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Data.Sql;

/// <summary>
/// What both stores' backfill reads share. Reading every event in (profile, time) order costs a row lookup (or a
/// sort) per event, so both read in storage order instead: first which events are each profile's first and the
/// first at its shared or property-change instants (<see cref="Marker"/>, EventNeeds' rules 2 and 3), then the
/// events the goals name plus those marked, which <see cref="Group"/> puts back into histories.
/// </summary>
internal static class BackfillRead
{
    /// <summary>One bit per event id.</summary>
    public static ulong[] NewMarks(long maxEventId) => new ulong[(maxEventId >> 6) + 1];

    public static bool IsMarked(ulong[] marked, long id) => (marked[id >> 6] & Bit(id)) != 0;

    public static void Mark(ulong[] marked, long id) => Interlocked.Or(ref marked[id >> 6], Bit(id));

    public static void Unmark(ulong[] marked, long id) => Interlocked.And(ref marked[id >> 6], ~Bit(id));

    private static ulong Bit(long id) => 1UL << (int)(id & 63);

    /// <summary>The instants at which a profile's properties changed, as (profile, Unix ms).</summary>
    public static HashSet<(long, long)> ChangeInstants(Dictionary<long, List<PropertyFact>> changes) =>
        changes.SelectMany(p => p.Value.Select(c => (p.Key, c.Timestamp.ToUnixTimeMilliseconds()))).ToHashSet();

    /// <summary>
    /// Marks, from events visited in (profile, time, id) order, each profile's first event and the first event at
    /// every instant the profile has more than one event at, or a property change at.
    /// </summary>
    public sealed class Marker(HashSet<(long, long)> instants, ulong[] marked)
    {
        private long _profile = long.MinValue, _instant, _runFirst;
        private int _runLength;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(long profileId, long timestamp, long id)
        {
            if (profileId == _profile && timestamp == _instant)
            {
                _runLength++;
                return;
            }
            Finish();
            if (profileId != _profile || instants.Contains((profileId, timestamp)))
            {
                Mark(marked, id);
            }
            (_profile, _instant, _runFirst, _runLength) = (profileId, timestamp, id, 1);
        }

        /// <summary>Closes the last run (call once after the last event; harmless more often).</summary>
        public void Finish()
        {
            if (_runLength > 1)
            {
                Mark(marked, _runFirst);
            }
            _runLength = 0;
        }
    }

    /// <summary>
    /// The kept events, read in storage order, as the histories of every profile up to <paramref name="maxProfileId"/>
    /// (profile ids are dense: a counting sort), in <paramref name="parts"/> shares of profiles, each history in time order.
    /// </summary>
    public static IReadOnlyList<IEnumerable<StoredHistory>> Group(IReadOnlyList<List<(long ProfileId, EventFact Event)>> shares, long maxProfileId, int parts,
        Dictionary<long, List<PropertyFact>> changes, Dictionary<long, Dictionary<Guid, List<RecordedConversion>>> recorded,
        ConcurrentDictionary<long, string> unreadable)
    {
        var (starts, events) = ByProfile(shares, maxProfileId, kept => kept.ProfileId, kept => kept.Event);

        IEnumerable<StoredHistory> Histories(ProfileRange range)
        {
            for (var id = Math.Max(range.From, 0); id < Math.Min(range.To, maxProfileId + 1); id++)
            {
                var own = new ArraySegment<EventFact>(events, starts[id], starts[id + 1] - starts[id]);
                // Read in storage order; a history is in time order (ids are unique, so no stable sort is needed).
                Array.Sort(events, own.Offset, own.Count, TimeOrder);
                if (own.Count > 0 || changes.ContainsKey(id) || recorded.ContainsKey(id))
                {
                    yield return new StoredHistory(new ProfileHistory(id, own, changes.GetValueOrDefault(id) ?? []),
                        recorded.GetValueOrDefault(id) ?? (IReadOnlyDictionary<Guid, List<RecordedConversion>>)SqlHistories.EmptyRecorded, unreadable.GetValueOrDefault(id));
                }
            }
        }
        return ProfileRange.Split(maxProfileId, parts).Select(Histories).ToList();
    }

    /// <summary>
    /// The shares' items grouped by profile, in the order read within each profile (profile ids are dense: a counting
    /// sort). Profile <c>p</c>'s values are <c>values[starts[p]..starts[p + 1]]</c>.
    /// </summary>
    public static (int[] Starts, TValue[] Values) ByProfile<TItem, TValue>(IReadOnlyList<List<TItem>> shares, long maxProfileId,
        Func<TItem, long> profileOf, Func<TItem, TValue> valueOf)
    {
        var starts = new int[maxProfileId + 2];
        foreach (var share in shares)
        {
            foreach (var item in share)
            {
                starts[profileOf(item) + 1]++;
            }
        }
        for (var i = 1; i < starts.Length; i++)
        {
            starts[i] += starts[i - 1];
        }
        var values = new TValue[starts[^1]];
        var next = (int[])starts.Clone();
        foreach (var share in shares)
        {
            foreach (var item in share)
            {
                values[next[profileOf(item)]++] = valueOf(item);
            }
        }
        return (starts, values);
    }

    private static readonly Comparer<EventFact> TimeOrder =
        Comparer<EventFact>.Create((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Id.CompareTo(b.Id));
}
