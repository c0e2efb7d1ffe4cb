using System.Collections.Concurrent;

namespace GoalsDashboard.Services;

/// <summary>Goals waiting for a backfill, worked off one at a time in the background.</summary>
public sealed class BackfillQueue
{
    private readonly System.Threading.Channels.Channel<Guid> _channel = System.Threading.Channels.Channel.CreateUnbounded<Guid>();
    private readonly ConcurrentDictionary<Guid, byte> _pending = new();

    public void Enqueue(Guid goalId)
    {
        if (_pending.TryAdd(goalId, 0))
        {
            _channel.Writer.TryWrite(goalId);
        }
    }

    public bool IsPending(Guid goalId) => _pending.ContainsKey(goalId);

    internal async IAsyncEnumerable<Guid> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var id in _channel.Reader.ReadAllAsync(ct))
        {
            _pending.TryRemove(id, out _);
            yield return id;
        }
    }
}
