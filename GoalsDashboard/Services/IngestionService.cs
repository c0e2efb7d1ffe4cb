using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

public sealed record RecordedConversionResult(Guid GoalId, string ProfileId, DateTimeOffset Timestamp, bool GoalCreated);

public sealed record MatchResult(Guid GoalId, string ProfileId, DateTimeOffset MatchedAt, string? LinkedEventId);

/// <summary>
/// Accepts tracked data: stores it (atomically, idempotently) and wakes live evaluation, which updates
/// the touched profiles' completions within a second.
/// </summary>
public sealed class IngestionService(
    IEventStore store,
    IResultStore results,
    IDbContextFactory<AppDbContext> dbFactory,
    GoalService goals,
    LiveEvaluationSignal signal)
{
    public async Task<IngestResult> IngestAsync(IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken ct = default)
    {
        var result = await store.IngestEventsAsync(events, receivedAt, ct);
        signal.Wake();
        return result;
    }

    public async Task SetPropertiesAsync(string profileId, IReadOnlyList<IncomingPropertyChange> changes, DateTimeOffset at, CancellationToken ct = default)
    {
        await store.SetPropertiesAsync([new ProfilePropertyChanges(profileId, changes, at)], ct);
        signal.Wake();
    }

    /// <summary>Records a conversion of the goal named <paramref name="goalName"/>, creating it as a tracked-conversion goal when missing.</summary>
    public async Task<RecordedConversionResult> RecordConversionAsync(string goalName, string profileId, DateTimeOffset at, decimal? value, string user, CancellationToken ct = default)
    {
        var normalizedName = goalName.Trim().ToUpperInvariant();
        long? internalId = null;
        for (var attempt = 1; ; attempt++)
        {
            Goal? goal;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                goal = await db.Goals.AsNoTracking().FirstOrDefaultAsync(g => g.NormalizedName == normalizedName, ct);
            }
            var created = false;
            if (goal is null)
            {
                goal = await goals.CreateAsync(new GoalDraft { Name = goalName, Type = GoalType.Tracked }, user, ct);
                created = true;
            }
            // Resolves (or creates) the profile without changing a property.
            internalId ??= (await store.SetPropertiesAsync([new ProfilePropertyChanges(profileId, [], at)], ct))[0];
            try
            {
                await results.RecordConversionAsync(new Conversion { GoalId = goal.Id, ProfileId = internalId.Value, Timestamp = at, Source = ConversionSource.Api, Value = value }, ct);
            }
            catch (KeyNotFoundException) when (attempt < 3)
            {
                // The goal was deleted since it was found: found (or created) again by its name, as for a new one.
                continue;
            }
            signal.Wake();
            return new RecordedConversionResult(goal.Id, profileId, at, created);
        }
    }

    /// <summary>
    /// An external (offline) match, linked to the profile's most recent event before the match time
    /// (on the given sites, when any). Null reason = success.
    /// </summary>
    public async Task<(MatchResult? Result, string? NotFound)> MatchAsync(Guid goalId, string visitor, DateTimeOffset matchedAt, decimal? value,
        IReadOnlyList<string> sites, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Goals.AnyAsync(g => g.Id == goalId, ct))
        {
            return (null, $"There is no goal {goalId}.");
        }
        var profile = await db.Profiles.AsNoTracking().FirstOrDefaultAsync(p => p.ExternalId == visitor, ct);
        if (profile is null)
        {
            return (null, $"No profile \"{visitor}\" is known: a match links to a visitor's tracked activity, and this visitor has none.");
        }
        var candidates = db.Events.AsNoTracking().Where(e => e.ProfileId == profile.Id && e.Timestamp < matchedAt);
        if (sites.Count > 0)
        {
            candidates = candidates.Where(e => e.Site != null && sites.Contains(e.Site));
        }
        var linked = await candidates.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id).FirstOrDefaultAsync(ct);
        if (linked is null)
        {
            return (null, $"\"{visitor}\" has no event before {matchedAt:u}{(sites.Count > 0 ? " on those sites" : "")}, so there is nothing to link the match to.");
        }
        try
        {
            await results.RecordConversionAsync(new Conversion
            {
                GoalId = goalId, ProfileId = profile.Id, Timestamp = matchedAt, Source = ConversionSource.Match, Value = value,
                EventId = linked.Id, Channel = linked.Channel, Site = linked.Site,
            }, ct);
        }
        catch (KeyNotFoundException)
        {
            return (null, $"There is no goal {goalId}."); // deleted since it was found above
        }
        signal.Wake();
        return (new MatchResult(goalId, visitor, matchedAt, linked.EventId), null);
    }
}
