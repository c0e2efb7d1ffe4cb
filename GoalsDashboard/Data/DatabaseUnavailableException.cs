namespace GoalsDashboard.Data;

/// <summary>
/// The database the app serves cannot take writes (its file is gone, it is read-only, the server is down):
/// the API answers 503 and nothing is acknowledged that is not stored (docs/api.md, "Durability").
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a provider says about whether the database can be read and written now (for <c>/health</c>).</summary>
public interface IDatabaseHealth
{
    /// <summary>Null when reads and writes work, else why not.</summary>
    Task<string?> ProblemAsync(CancellationToken ct = default);

    /// <summary>Whether an exception a store threw means the database, not the request, is at fault.</summary>
    bool IsUnavailable(Exception exception);
}
