using System.Collections;
using System.Numerics;

namespace GoalsDashboard.Analytics;

/// <summary>The distinct profiles active in a period: what segment breakdowns and converter interests test against.</summary>
public interface IProfileSet : IReadOnlyCollection<long>
{
    bool Contains(long profileId);
}

internal sealed class HashProfileSet(HashSet<long> profiles) : IProfileSet
{
    public int Count => profiles.Count;

    public bool Contains(long profileId) => profiles.Contains(profileId);

    public IEnumerator<long> GetEnumerator() => profiles.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Profile ids as bits: one bit per id up to the largest, so a union over many days costs one write per entry.</summary>
internal sealed class BitProfileSet(int maxId) : IProfileSet
{
    private readonly ulong[] _words = new ulong[(maxId >> 6) + 1];

    public int Count { get; private set; }

    /// <summary>Sets the bit; true when it was not set before.</summary>
    public bool Add(int id)
    {
        ref var word = ref _words[id >> 6];
        var mask = 1UL << (id & 63);
        if ((word & mask) != 0)
        {
            return false;
        }
        word |= mask;
        Count++;
        return true;
    }

    public bool Contains(long profileId) =>
        profileId >= 0 && (profileId >> 6) < _words.Length && (_words[profileId >> 6] & (1UL << (int)(profileId & 63))) != 0;

    public IEnumerator<long> GetEnumerator()
    {
        for (var i = 0; i < _words.Length; i++)
        {
            var word = _words[i];
            while (word != 0)
            {
                yield return ((long)i << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A compact set of profile ids: a sorted array plus a small set of recent additions, merged into the
/// array once it grows. Four bytes an entry once merged, which is what lets a whole history of daily
/// activity stay in memory.
/// </summary>
internal sealed class CompactProfileSet
{
    private int[] _sorted = [];
    private int _count;
    private HashSet<int>? _recent;

    public int Count => _count + (_recent?.Count ?? 0);

    public void Add(int id)
    {
        if (_count > 0 && id > _sorted[_count - 1] && _recent is null)
        {
            Append(id);
            return;
        }
        if (_count > 0 && Array.BinarySearch(_sorted, 0, _count, id) >= 0)
        {
            return;
        }
        _recent ??= [];
        if (_recent.Add(id) && _recent.Count > Math.Max(64, _count / 8))
        {
            Merge();
        }
    }

    /// <summary>Hands every id to <paramref name="visitor"/> once.</summary>
    public void ForEach<TVisitor>(ref TVisitor visitor) where TVisitor : struct, IIdVisitor
    {
        var sorted = _sorted.AsSpan(0, _count);
        foreach (var id in sorted)
        {
            visitor.Visit(id);
        }
        if (_recent is not null)
        {
            foreach (var id in _recent)
            {
                visitor.Visit(id);
            }
        }
    }

    private void Append(int id)
    {
        if (_count == _sorted.Length)
        {
            Array.Resize(ref _sorted, Math.Max(8, _count * 2));
        }
        _sorted[_count++] = id;
    }

    private void Merge()
    {
        var merged = new int[_count + _recent!.Count];
        Array.Copy(_sorted, merged, _count);
        _recent.CopyTo(merged, _count);
        Array.Sort(merged);
        (_sorted, _count, _recent) = (merged, merged.Length, null);
    }
}

/// <summary>Visits ids without a delegate call per id (the loops run over hundreds of thousands of them).</summary>
internal interface IIdVisitor
{
    void Visit(int id);
}
