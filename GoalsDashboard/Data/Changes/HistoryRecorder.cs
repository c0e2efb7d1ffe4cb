using System.Globalization;
using System.Text.Json;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using FieldChange = GoalsDashboard.Data.HistoryEntry.FieldChange;

namespace GoalsDashboard.Data.Changes;

/// <summary>
/// Who is changing things now: set by the services that take a user (the dashboard's user, or <c>token:NAME</c> for
/// the API), read when a save records its history.
/// </summary>
public static class HistoryActor
{
    private static readonly AsyncLocal<string?> Current = new();

    public static string? Name => Current.Value;

    /// <summary>Names the actor until disposed (the previous one comes back).</summary>
    public static IDisposable As(string? user)
    {
        var previous = Current.Value;
        Current.Value = user;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>
/// Writes the history (docs/history.md) of goals, funnels, campaigns and segments into the save that changes them:
/// created, edited (each changed field, before → after, a definition as a sentence), archived, restored, deleted,
/// campaigns linked or unlinked. Called by <see cref="ChangeLogInterceptor"/> for every EF Core save, so no write
/// path can skip it.
/// </summary>
internal static class HistoryRecorder
{
    private static readonly string[] Bookkeeping =
        [nameof(Goal.Version), nameof(Goal.EvaluatedVersion), nameof(Goal.UpdatedAt), nameof(Goal.UpdatedBy), nameof(Goal.NormalizedName),
         nameof(Goal.CreatedAt), nameof(Goal.CreatedBy), nameof(Goal.Status), nameof(Goal.Number)];

    private static readonly string[] Definition = [nameof(Goal.Type), nameof(Goal.Groups), nameof(Goal.Window), nameof(Goal.Sites)];

    /// <summary>Whether a change to this entity goes into some history (a goal, its campaign links, a funnel and its steps, a campaign, a segment).</summary>
    public static bool Records(object entity) => entity is Goal or GoalCampaign or Funnel or FunnelStep or Campaign or Segment;

    /// <summary>
    /// Adds the entries of this save to it. Returns the entries of subjects whose number the store gives on insert
    /// (a new funnel, campaign or segment): the caller writes their number once the save has it.
    /// </summary>
    public static IReadOnlyList<(EntityEntry Subject, HistoryEntry Entry)> Record(DbContext context, long at)
    {
        var entries = context.ChangeTracker.Entries().ToList();
        var links = entries.Where(e => e is { Entity: GoalCampaign, State: EntityState.Added or EntityState.Deleted })
            .Select(e => (Link: (GoalCampaign)e.Entity, Linked: e.State == EntityState.Added)).ToList();
        var goals = entries.Where(e => e is { Entity: Goal, State: EntityState.Added or EntityState.Modified or EntityState.Deleted }).ToList();
        var written = new List<HistoryEntry>();
        foreach (var entry in goals)
        {
            var goal = (Goal)entry.Entity;
            var campaigns = links.Where(l => l.Link.GoalId == goal.Id).ToList();
            links.RemoveAll(l => l.Link.GoalId == goal.Id);
            if (ForGoal(context, entry, goal, campaigns, at) is { } history)
            {
                written.Add(history);
            }
        }
        // Links changed on their own (from a campaign's page): one entry per goal.
        foreach (var group in links.GroupBy(l => l.Link.GoalId))
        {
            var linked = group.Where(l => l.Linked).ToList();
            var unlinked = group.Where(l => !l.Linked).ToList();
            written.Add(Entry(group.Key, at, Actor(null), linked.Count > 0 && unlinked.Count == 0 ? "campaign_linked" : unlinked.Count > 0 && linked.Count == 0 ? "campaign_unlinked" : "edited",
                [CampaignChange(context, group.ToList())]));
        }
        var unnumbered = new List<(EntityEntry, HistoryEntry)>();
        foreach (var entry in entries.Where(e => Subjects.ContainsKey(e.Entity.GetType())))
        {
            if (OtherSubject(context, entry, entries, at) is { } history)
            {
                written.Add(history);
                if (entry.State == EntityState.Added)
                {
                    unnumbered.Add((entry, history));
                }
            }
        }
        context.AddRange(written);
        return unnumbered;
    }

    /// <summary>The subjects other than goals, keyed by a number the store gives.</summary>
    private static readonly Dictionary<Type, string> Subjects = new()
    {
        [typeof(Funnel)] = "funnel",
        [typeof(Campaign)] = "campaign",
        [typeof(Segment)] = "segment",
    };

    private static readonly string[] OtherBookkeeping =
        [nameof(Funnel.Id), nameof(Funnel.CreatedAt), nameof(Funnel.CreatedBy), nameof(Funnel.UpdatedAt), nameof(Funnel.UpdatedBy)];

    /// <summary>The entry of a funnel, campaign or segment changed by this save, if anything it shows changed.</summary>
    private static HistoryEntry? OtherSubject(DbContext context, EntityEntry entry, List<EntityEntry> entries, long at)
    {
        var subject = Subjects[entry.Entity.GetType()];
        var id = entry.State == EntityState.Added ? "" : Convert.ToString(entry.Property(nameof(Funnel.Id)).CurrentValue, CultureInfo.InvariantCulture)!;
        var name = (string)entry.Property(nameof(Funnel.Name)).CurrentValue!;
        var author = (string?)entry.Property(entry.State == EntityState.Added ? nameof(Funnel.CreatedBy) : nameof(Funnel.UpdatedBy)).CurrentValue;
        if (entry.State == EntityState.Deleted)
        {
            return Entry(subject, id, at, Actor(null), "deleted", [new FieldChange("name", name, null)]);
        }
        var added = entry.State == EntityState.Added;
        var changes = new List<FieldChange>();
        foreach (var property in entry.Properties.Where(p => !OtherBookkeeping.Contains(p.Metadata.Name) && !p.Metadata.IsShadowProperty()))
        {
            if (added)
            {
                if (property.CurrentValue is not null)
                {
                    changes.Add(new FieldChange(FieldName(property.Metadata.Name), null, Text(property.CurrentValue)));
                }
            }
            else if (property.IsModified && !property.Metadata.GetValueComparer().Equals(property.OriginalValue, property.CurrentValue))
            {
                changes.Add(new FieldChange(FieldName(property.Metadata.Name), Text(property.OriginalValue), Text(property.CurrentValue)));
            }
        }
        if (entry.Entity is Funnel funnel && StepsChange(context, funnel, entries, added) is { } steps)
        {
            changes.Add(steps);
        }
        return changes.Count == 0 ? null : Entry(subject, id, at, Actor(author), added ? "created" : "edited", changes);
    }

    /// <summary>A funnel's steps before and after, as "Goal A → Goal B (within 2 days)", when this save changes them.</summary>
    private static FieldChange? StepsChange(DbContext context, Funnel funnel, List<EntityEntry> entries, bool added)
    {
        var steps = entries.Where(e => e.Entity is FunnelStep step && (funnel.Steps.Contains(step) || funnel.Id > 0 && step.FunnelId == funnel.Id)).ToList();
        if (!added && steps.All(e => e.State == EntityState.Unchanged))
        {
            return null;
        }
        (int Position, Guid Goal, FunnelWindow? Window) Values(EntityEntry e, bool original) => original
            ? ((int)e.Property(nameof(FunnelStep.Position)).OriginalValue!, (Guid)e.Property(nameof(FunnelStep.GoalId)).OriginalValue!, (FunnelWindow?)e.Property(nameof(FunnelStep.Window)).OriginalValue)
            : ((int)e.Property(nameof(FunnelStep.Position)).CurrentValue!, (Guid)e.Property(nameof(FunnelStep.GoalId)).CurrentValue!, (FunnelWindow?)e.Property(nameof(FunnelStep.Window)).CurrentValue);
        var before = steps.Where(e => e.State != EntityState.Added).Select(e => Values(e, original: true)).OrderBy(s => s.Position).ToList();
        var after = steps.Where(e => e.State != EntityState.Deleted).Select(e => Values(e, original: false)).OrderBy(s => s.Position).ToList();
        var ids = before.Concat(after).Select(s => s.Goal).Distinct().ToList();
        var names = context.Set<Goal>().AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, g.Name }).ToDictionary(g => g.Id, g => g.Name);
        string? Describe(List<(int Position, Guid Goal, FunnelWindow? Window)> list) => list.Count == 0 ? null : string.Join(" → ",
            list.Select(s => names.GetValueOrDefault(s.Goal, "a deleted goal") + (s.Window is { } w ? $" (within {WindowText(w)})" : "")));
        var (was, now) = (Describe(before), Describe(after));
        return was == now ? null : new FieldChange("steps", was, now);
    }

    private static string WindowText(FunnelWindow w) => $"{w.Amount} {(w.Unit == WindowUnit.Days ? "day" : "hour")}{(w.Amount == 1 ? "" : "s")}";

    private static string FieldName(string property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    private static HistoryEntry? ForGoal(DbContext context, EntityEntry entry, Goal goal, List<(GoalCampaign Link, bool Linked)> campaigns, long at)
    {
        var changes = new List<FieldChange>();
        if (campaigns.Count > 0)
        {
            changes.Add(CampaignChange(context, campaigns));
        }
        switch (entry.State)
        {
            case EntityState.Added:
                changes.Insert(0, new FieldChange("name", null, goal.Name));
                changes.Insert(1, new FieldChange("definition", null, Sentence(goal.Type, goal.Groups, goal.Window, goal.Sites)));
                return Entry(goal.Id, at, Actor(goal.CreatedBy), "created", changes);
            case EntityState.Deleted:
                return Entry(goal.Id, at, Actor(null), "deleted", [new FieldChange("name", goal.Name, null)]);
        }
        var status = entry.Property(nameof(Goal.Status));
        if (status.IsModified && !Equals(status.OriginalValue, status.CurrentValue))
        {
            return Entry(goal.Id, at, Actor(goal.UpdatedBy), goal.Status == GoalStatus.Archived ? "archived" : "restored", changes);
        }
        if (Definition.Any(p => Changed(entry, p)))
        {
            changes.Add(new FieldChange("definition",
                Sentence((GoalType)Original(entry, nameof(Goal.Type))!, (IReadOnlyList<ConditionGroup>)Original(entry, nameof(Goal.Groups))!,
                    (GoalWindow?)Original(entry, nameof(Goal.Window)), (IReadOnlyList<string>)Original(entry, nameof(Goal.Sites))!),
                Sentence(goal.Type, goal.Groups, goal.Window, goal.Sites)));
        }
        foreach (var property in entry.Properties.Where(p => p.IsModified && !Bookkeeping.Contains(p.Metadata.Name) && !Definition.Contains(p.Metadata.Name)))
        {
            if (!Equals(property.OriginalValue, property.CurrentValue))
            {
                changes.Add(new FieldChange(FieldName(property.Metadata.Name), Text(property.OriginalValue), Text(property.CurrentValue)));
            }
        }
        return changes.Count == 0 ? null : Entry(goal.Id, at, Actor(goal.UpdatedBy), "edited", changes);
    }

    private static bool Changed(EntityEntry entry, string property)
    {
        var p = entry.Property(property);
        return p.IsModified && !p.Metadata.GetValueComparer().Equals(p.OriginalValue, p.CurrentValue);
    }

    private static object? Original(EntityEntry entry, string property) => entry.Property(property).OriginalValue;

    private static FieldChange CampaignChange(DbContext context, List<(GoalCampaign Link, bool Linked)> links)
    {
        var ids = links.Select(l => l.Link.CampaignId).Distinct().ToList();
        var keys = context.Set<Campaign>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Key }).ToDictionary(c => c.Id, c => c.Key);
        string? Names(bool linked) => links.Where(l => l.Linked == linked).Select(l => keys.GetValueOrDefault(l.Link.CampaignId, $"#{l.Link.CampaignId}"))
            .Order(StringComparer.Ordinal).ToList() is { Count: > 0 } names ? string.Join(", ", names) : null;
        return new FieldChange("campaigns", Names(false), Names(true));
    }

    private static string Sentence(GoalType type, IReadOnlyList<ConditionGroup> groups, GoalWindow? window, IReadOnlyList<string> sites) =>
        GoalSentence.Describe(type, groups, window, sites);

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FunnelWindow w => "within " + WindowText(w),
        IReadOnlyList<SegmentCondition> conditions => SegmentRules.Describe(conditions),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value, JsonColumn.Options),
    };

    private static string Actor(string? fallback) => HistoryActor.Name ?? (string.IsNullOrEmpty(fallback) ? "system" : fallback);

    private static HistoryEntry Entry(Guid goal, long at, string actor, string action, IReadOnlyList<FieldChange> changes) =>
        Entry("goal", goal.ToString("D"), at, actor, action, changes);

    private static HistoryEntry Entry(string subject, string id, long at, string actor, string action, IReadOnlyList<FieldChange> changes) => new()
    {
        Subject = subject,
        SubjectId = id,
        At = at,
        Actor = actor,
        Action = action,
        Changes = HistoryEntry.WriteChanges(changes),
    };

}
