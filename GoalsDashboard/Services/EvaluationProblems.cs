using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>A profile set aside after its evaluation failed: who, why, and when it is tried again.</summary>
public sealed record SetAsideProfile(long ProfileId, string ExternalId, int Attempts, DateTimeOffset? RetryAt, string? Error);

/// <summary>The profiles live evaluation set aside, for Admins (Settings → Evaluation), and retrying them at once.</summary>
public sealed class EvaluationProblems(IDbContextFactory<AppDbContext> dbFactory, IEvaluationQueue queue, LiveEvaluationSignal signal)
{
    public const int MaxListed = 200;

    /// <summary>The set-aside profiles (at most <see cref="MaxListed"/>, most failed first) and how many there are in all.</summary>
    public async Task<(IReadOnlyList<SetAsideProfile> Profiles, int Total)> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failed = db.PendingEvaluations.AsNoTracking().Where(p => p.Attempts > 0);
        var total = await failed.CountAsync(ct);
        var rows = await (from p in failed
                          join profile in db.Profiles on p.ProfileId equals profile.Id
                          orderby p.Attempts descending, p.ProfileId
                          select new { p.ProfileId, profile.ExternalId, p.Attempts, p.RetryAt, p.Error })
            .Take(MaxListed).ToListAsync(ct);
        return (rows.Select(r => new SetAsideProfile(r.ProfileId, r.ExternalId, r.Attempts,
            r.RetryAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, r.Error)).ToList(), total);
    }

    /// <summary>Tries one set-aside profile (or all when null) again now.</summary>
    public async Task RetryNowAsync(long? profileId, CancellationToken ct = default)
    {
        await queue.RetryNowAsync(profileId, ct);
        signal.Wake();
    }
}
