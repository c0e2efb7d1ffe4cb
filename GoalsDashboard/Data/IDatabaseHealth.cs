namespace GoalsDashboard.Data;

/// <summary>What a provider says about whether the database can be read and written now (for <c>/health</c>).</summary>
public interface IDatabaseHealth
{
    /// <summary>Null when reads and writes work, else why not.</summary>
    Task<string?> ProblemAsync(CancellationToken ct = default);

    /// <summary>Whether an exception a store threw means the database, not the request, is at fault.</summary>
    bool IsUnavailable(Exception exception);
}
