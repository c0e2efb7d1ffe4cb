namespace GoalsDashboard.Services;

/// <summary>
/// Wakes the backfill worker when a goal of this instance needs one. What needs a backfill is in the database
/// (a goal whose evaluated version is behind), so every instance finds it, and a backfill whose instance died is
/// found again (docs/decisions/ADR-005-several-instances.md).
/// </summary>
public sealed class BackfillQueue
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Enqueue(Guid goalId)
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    internal Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
