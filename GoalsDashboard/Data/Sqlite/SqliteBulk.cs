using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>Many rows through one prepared statement: the SQLite stores' bulk write path.</summary>
internal static class SqliteBulk
{
    /// <summary>
    /// One prepared statement (or several, separated by semicolons), re-bound per row: the fastest way SQLite
    /// takes many rows. Bound through SQLite's own calls, each <c>$i</c> looked up once, rather than through
    /// SqliteParameter, which looks every named parameter up again on every row. The statements run inside the
    /// connection's open transaction (<paramref name="tx"/>; SQLite has one per connection).
    /// </summary>
    public static Task InsertAsync<T>(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<T> rows,
        string sql, Func<T, object?[]> values, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        if (tx.Connection != connection)
        {
            throw new InvalidOperationException("The transaction belongs to another connection.");
        }
        var handle = connection.Handle!;
        var width = values(rows[0]).Length;
        var statements = new List<(sqlite3_stmt Statement, int[] Slots)>();
        try
        {
            for (var rest = sql; !string.IsNullOrWhiteSpace(rest);)
            {
                SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(handle, rest, out var statement, out rest), handle);
                if (statement is null || statement.IsInvalid)
                {
                    continue;
                }
                statements.Add((statement, Enumerable.Range(0, width).Select(i => raw.sqlite3_bind_parameter_index(statement, "$" + i)).ToArray()));
            }
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                var v = values(row);
                foreach (var (statement, slots) in statements)
                {
                    for (var i = 0; i < slots.Length; i++)
                    {
                        if (slots[i] > 0)
                        {
                            Bind(handle, statement, slots[i], v[i]);
                        }
                    }
                    int rc;
                    while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                    {
                    }
                    raw.sqlite3_reset(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        SqliteException.ThrowExceptionForRC(rc, handle);
                    }
                }
            }
        }
        finally
        {
            foreach (var (statement, _) in statements)
            {
                statement.Dispose();
            }
        }
        return Task.CompletedTask;
    }

    private static void Bind(sqlite3 handle, sqlite3_stmt statement, int slot, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, slot),
            long l => raw.sqlite3_bind_int64(statement, slot, l),
            int i => raw.sqlite3_bind_int64(statement, slot, i),
            double d => raw.sqlite3_bind_double(statement, slot, d),
            string text => raw.sqlite3_bind_text(statement, slot, text),
            _ => throw new NotSupportedException($"Cannot bind a {value.GetType().Name}."),
        };
        SqliteException.ThrowExceptionForRC(rc, handle);
    }
}
