using System.Data.Common;

namespace GoalsDashboard.Data;

/// <summary>Nullable reads, the same for every store.</summary>
internal static class DbReaderExtensions
{
    public static string? StringOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? LongOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static double? DoubleOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
