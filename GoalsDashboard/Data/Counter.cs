using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data;

/// <summary>A number that only grows, taken in the transaction that uses it (goal numbers).</summary>
public sealed class Counter
{
    public const string GoalNumber = "goal_number";

    public string Name { get; set; } = "";
    public long Value { get; set; }

    /// <summary>
    /// The next value of the counter, in the context's open transaction: the row stays locked until it commits, so two
    /// writers (or two instances) never take the same value, and a rolled-back one gives its value back.
    /// </summary>
    public static async Task<int> NextAsync(AppDbContext db, string name, CancellationToken ct)
    {
        var values = await db.Database.SqlQuery<long>(
            $"UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {name} RETURNING \"Value\" AS \"Value\"").ToListAsync(ct);
        if (values.Count == 1)
        {
            return checked((int)values[0]);
        }
        db.Counters.Add(new Counter { Name = name, Value = 1 });
        await db.SaveChangesAsync(ct);
        return 1;
    }
}
