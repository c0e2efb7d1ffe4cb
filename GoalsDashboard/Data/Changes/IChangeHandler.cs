namespace GoalsDashboard.Data.Changes;

/// <summary>Something kept in memory that follows the change feed: an index, a cache, the pages' live refresh.</summary>
public interface IChangeHandler
{
    /// <summary>Applies committed changes, in commit order, each once. Every change states a new truth, so applying one that a load already saw changes nothing.</summary>
    ValueTask ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct);

    /// <summary>Forgets everything held (after a change could not be applied, or changes were missed): it is read again from the database.</summary>
    void Reset();
}
