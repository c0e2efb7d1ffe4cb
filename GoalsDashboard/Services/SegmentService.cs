using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>A segment with its current member count.</summary>
public sealed record SegmentListItem(Segment Segment, int Members);

/// <summary>Segments, shared by the dashboard and the API.</summary>
public sealed class SegmentService(IDbContextFactory<AppDbContext> dbFactory, AnalyticsService analytics, TimeProvider clock)
{
    public async Task<IReadOnlyList<SegmentListItem>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segments = await db.Segments.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var sizes = await analytics.SegmentSizesAsync(ct);
        return segments.Select(s => new SegmentListItem(s, sizes.GetValueOrDefault(s.Id))).ToList();
    }

    public async Task<SegmentListItem?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return segment is null ? null : new SegmentListItem(segment, (await analytics.SegmentSizesAsync(ct)).GetValueOrDefault(id));
    }

    /// <summary>How many profiles match the conditions now (for the editor's live count, before saving).</summary>
    public async Task<int> CountMembersAsync(IReadOnlyList<SegmentCondition> conditions, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await SegmentMembership.MembersAsync(db, [conditions], ct))[0].Count;
    }

    public async Task<Segment> CreateAsync(SegmentDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = SegmentRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckUniqueNameAsync(db, normalized.Name!, null, ct);
        var now = clock.GetUtcNow();
        var segment = new Segment { Name = normalized.Name!, Conditions = normalized.Conditions, CreatedAt = now, CreatedBy = user, UpdatedAt = now, UpdatedBy = user };
        db.Segments.Add(segment);
        await SaveAsync(db, normalized.Name!, ct);
        return segment;
    }

    public async Task<Segment> UpdateAsync(int id, SegmentDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = SegmentRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new KeyNotFoundException($"There is no segment {id}.");
        await CheckUniqueNameAsync(db, normalized.Name!, id, ct);
        segment.Name = normalized.Name!;
        segment.Conditions = normalized.Conditions;
        segment.UpdatedAt = clock.GetUtcNow();
        segment.UpdatedBy = user;
        await SaveAsync(db, normalized.Name!, ct);
        return segment;
    }

    public async Task DeleteAsync(int id, string? user = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new KeyNotFoundException($"There is no segment {id}.");
        db.Segments.Remove(segment);
        await db.SaveChangesAsync(ct);
    }

    private static async Task CheckUniqueNameAsync(AppDbContext db, string name, int? self, CancellationToken ct)
    {
        var upper = name.ToUpperInvariant();
        if ((await db.Segments.AsNoTracking().Where(s => s.Id != self).Select(s => s.Name).ToListAsync(ct)).Any(n => n.ToUpperInvariant() == upper))
        {
            throw new DomainValidationException("name", $"A segment named \"{name}\" already exists; choose another name.");
        }
    }

    private static async Task SaveAsync(AppDbContext db, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainValidationException("name", $"A segment named \"{name}\" already exists; choose another name.");
        }
    }
}
