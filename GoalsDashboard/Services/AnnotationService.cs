using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>The workspace's notes on days, read by every trend chart (docs/analytics.md, "Annotations").</summary>
public sealed class AnnotationService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How far from today a note may be placed: charts reach back years, not centuries.</summary>
    public const int MaxYearsAway = 20;

    /// <summary>The notes on the days from <paramref name="from"/> to <paramref name="to"/> (inclusive), by day, then as added.</summary>
    public async Task<IReadOnlyList<Annotation>> ListAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Annotations.AsNoTracking().Where(a => a.Date >= from && a.Date <= to)
            .OrderBy(a => a.Date).ThenBy(a => a.Id).ToListAsync(ct);
    }

    /// <summary>Adds a note; the text is trimmed, 1–200 characters, and the day within 20 years of today.</summary>
    public async Task<Annotation> AddAsync(DateOnly date, string? text, string user, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var trimmed = CheckText(text, errors);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (date < today.AddYears(-MaxYearsAway) || date > today.AddYears(MaxYearsAway))
        {
            errors.Add("date", $"Choose a day within {MaxYearsAway} years of today.");
        }
        errors.ThrowIfAny();
        var annotation = new Annotation { Date = date, Text = trimmed, CreatedAt = clock.GetUtcNow(), CreatedBy = user };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Annotations.Add(annotation);
        await db.SaveChangesAsync(ct);
        return annotation;
    }

    /// <summary>The note's text trimmed, with its problem added to <paramref name="errors"/> (empty, or over 200 characters).</summary>
    public static string CheckText(string? text, ValidationErrors errors)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add("text", "Write the note, for example Campaign launched.");
        }
        else if (trimmed.Length > Annotation.MaxTextLength)
        {
            errors.Add("text", $"The note is {trimmed.Length} characters; the limit is {Annotation.MaxTextLength}.");
        }
        return trimmed;
    }

    /// <summary>Removes a note; false when there is no such note (any more).</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Annotations.Where(a => a.Id == id).ExecuteDeleteAsync(ct) > 0;
    }
}
