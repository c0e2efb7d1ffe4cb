namespace GoalsDashboard.Data;

/// <summary>
/// The database the app serves cannot take writes (its file is gone, it is read-only, the server is down):
/// the API answers 503 and nothing is acknowledged that is not stored (docs/api.md, "Durability").
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
