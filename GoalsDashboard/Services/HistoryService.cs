using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>Reads the history of goals, funnels, campaigns and segments (docs/history.md); it is written by the saves themselves.</summary>
public sealed class HistoryService(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>One page of a subject's history, newest first, and how many entries it has. Kept after the subject is deleted.</summary>
    public async Task<(IReadOnlyList<HistoryEntry> Page, int Total)> PageAsync(string subject, string id, int page, int size, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = db.History.AsNoTracking().Where(h => h.Subject == subject && h.SubjectId == id);
        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return (items, total);
    }
}
