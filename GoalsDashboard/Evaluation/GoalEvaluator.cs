using GoalsDashboard.Domain;

namespace GoalsDashboard.Evaluation;

public sealed record CompletionResult(DateTimeOffset CompletedAt, long? TriggerEventId, string? Channel, string? Site, decimal? Value);

public sealed record ConversionResult(DateTimeOffset Timestamp, ConversionSource Source, long? EventId, string? Channel, string? Site, decimal? Value);

public sealed record EvaluationResult(CompletionResult? Completion, IReadOnlyList<ConversionResult> Conversions)
{
    public static readonly EvaluationResult None = new(null, []);
}

/// <summary>
/// Evaluates one goal over one profile's whole history, exactly as docs/evaluation.md defines.
/// The result depends only on the history, never on arrival order, so evaluating a profile again
/// after any change (late events included) gives the same answer as a full recomputation.
/// </summary>
public static class GoalEvaluator
{
    public static EvaluationResult Evaluate(Goal goal, ProfileHistory history, IReadOnlyList<RecordedConversion>? recorded = null) =>
        Evaluate(new GoalSpec(goal), history, recorded);

    public static EvaluationResult Evaluate(GoalSpec goal, ProfileHistory history, IReadOnlyList<RecordedConversion>? recorded = null)
    {
        recorded ??= [];
        var conversions = new List<ConversionResult>();
        CompletionResult? completion = null;

        if (goal.Groups.Count > 0 && TryWindow(goal, history, out var windowStart, out var windowEnd))
        {
            var events = goal.Window is null
                ? history.Events
                : history.Events.Where(e => e.Timestamp >= windowStart && e.Timestamp <= windowEnd).ToList();
            var firstMatches = goal.Groups.Select(g => g.Conditions.Select(c => FirstMatch(goal, c, events)).ToArray()).ToArray();

            bool GroupHolds(int g, DateTimeOffset t)
            {
                var conditions = goal.Groups[g].Conditions;
                for (var c = 0; c < conditions.Count; c++)
                {
                    var condition = conditions[c];
                    bool holds;
                    if (condition.IsEventLike)
                    {
                        var first = firstMatches[g][c];
                        holds = first is not null && first.Value <= t;
                    }
                    else
                    {
                        holds = ValueMatcher.Matches(history.ValueAsOf(condition.Key!, t), condition.Operator, condition.Value);
                    }
                    if (holds == condition.Negate)
                    {
                        return false;
                    }
                }
                return true;
            }

            bool GoalHolds(DateTimeOffset t)
            {
                for (var g = 0; g < goal.Groups.Count; g++)
                {
                    if (GroupHolds(g, t))
                    {
                        return true;
                    }
                }
                return false;
            }

            // completed_at: the earliest event or property-change time at which the goal holds, inside the window.
            DateTimeOffset? completedAt = null;
            foreach (var t in Instants(history))
            {
                if (goal.Window is not null && (t < windowStart || t > windowEnd))
                {
                    continue;
                }
                if (GoalHolds(t))
                {
                    completedAt = t;
                    break;
                }
            }

            // Conversions: events matching a non-negated event condition of a group that holds at their time.
            foreach (var e in events)
            {
                if (!goal.SiteAllowed(e.Site))
                {
                    continue;
                }
                var converts = false;
                for (var g = 0; g < goal.Groups.Count && !converts; g++)
                {
                    converts = goal.Groups[g].Conditions.Any(c => !c.Negate && c.IsEventLike && ConditionMatches(c, e)) && GroupHolds(g, e.Timestamp);
                }
                if (converts)
                {
                    conversions.Add(new ConversionResult(e.Timestamp, ConversionSource.Event, e.Id, e.Channel, e.Site, goal.ValueOf(e)));
                }
            }

            if (completedAt is { } at)
            {
                var trigger = conversions.FirstOrDefault(c => c.Timestamp == at);
                if (trigger is not null)
                {
                    completion = new CompletionResult(at, trigger.EventId, trigger.Channel, trigger.Site, trigger.Value);
                }
                else
                {
                    var atEvent = history.Events.FirstOrDefault(e => e.Timestamp == at);
                    var source = atEvent ?? history.FirstEvent;
                    completion = new CompletionResult(at, atEvent?.Id, source?.Channel, source?.Site, goal.DefaultValue);
                    conversions.Add(new ConversionResult(at, ConversionSource.Completion, atEvent?.Id, completion.Channel, completion.Site, goal.DefaultValue));
                }
            }
        }

        // Conversions recorded through the API count too, and complete the goal if earlier.
        foreach (var r in recorded.Where(r => goal.SiteAllowed(r.Site) || r.Source == ConversionSource.Api))
        {
            var value = r.Value ?? goal.DefaultValue;
            conversions.Add(new ConversionResult(r.Timestamp, r.Source, r.EventId, r.Channel, r.Site, value));
            if (completion is null || r.Timestamp < completion.CompletedAt)
            {
                // An API conversion replaces a later condition-based completion; that one's own conversion goes with it.
                if (completion is not null)
                {
                    var old = completion;
                    conversions.RemoveAll(c => c.Source == ConversionSource.Completion && c.Timestamp == old.CompletedAt);
                }
                completion = new CompletionResult(r.Timestamp, r.EventId, r.Channel, r.Site, value);
            }
        }

        conversions.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return new EvaluationResult(completion, conversions);
    }

    /// <summary>Every event and property-change time, ascending, each once (both lists are in time order).</summary>
    private static IEnumerable<DateTimeOffset> Instants(ProfileHistory history)
    {
        var (events, changes) = (history.Events, history.Changes);
        int e = 0, c = 0;
        DateTimeOffset? last = null;
        while (e < events.Count || c < changes.Count)
        {
            var t = c >= changes.Count || (e < events.Count && events[e].Timestamp <= changes[c].Timestamp)
                ? events[e++].Timestamp
                : changes[c++].Timestamp;
            if (t != last)
            {
                last = t;
                yield return t;
            }
        }
    }

    private static bool TryWindow(GoalSpec goal, ProfileHistory history, out DateTimeOffset start, out DateTimeOffset end)
    {
        start = DateTimeOffset.MinValue;
        end = DateTimeOffset.MaxValue;
        if (goal.Window is null)
        {
            return true;
        }
        var anchor = goal.Window.Anchor == WindowAnchor.FirstSeen
            ? history.FirstEvent
            : history.Events.FirstOrDefault(e => e.Name == goal.Window.AnchorEvent);
        if (anchor is null)
        {
            return false;
        }
        start = anchor.Timestamp;
        end = anchor.Timestamp + goal.Window.Length;
        return true;
    }

    /// <summary>The earliest time an event satisfies the condition (null: never), among allowed sites.</summary>
    private static DateTimeOffset? FirstMatch(GoalSpec goal, Condition condition, IReadOnlyList<EventFact> events)
    {
        if (!condition.IsEventLike)
        {
            return null;
        }
        foreach (var e in events)
        {
            if (goal.SiteAllowed(e.Site) && ConditionMatches(condition, e))
            {
                return e.Timestamp;
            }
        }
        return null;
    }

    /// <summary>Whether the event is of the condition's name or path and passes its filters (ignoring negation).</summary>
    public static bool ConditionMatches(Condition condition, EventFact e)
    {
        var kindMatches = condition.Kind switch
        {
            ConditionKind.Event => string.Equals(e.Name, condition.EventName, StringComparison.Ordinal),
            ConditionKind.PageView => e.Name == TrackedEvent.PageViewName && PathPattern.IsMatch(condition.Path!, e.Path),
            _ => false,
        };
        if (!kindMatches)
        {
            return false;
        }
        foreach (var filter in condition.Filters)
        {
            if (!ValueMatcher.Matches(e.Property(filter.Key), filter.Operator, filter.Value))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>The parts of a goal that evaluation reads, prepared once per goal.</summary>
public sealed class GoalSpec
{
    private readonly HashSet<string>? _sites;

    public GoalSpec(Goal goal)
        : this(goal.Id, goal.Type, goal.Groups, goal.Window, goal.Sites, goal.Currency, goal.DefaultValue)
    {
    }

    public GoalSpec(Guid id, GoalType type, IReadOnlyList<ConditionGroup> groups, GoalWindow? window, IReadOnlyList<string> sites, string? currency, decimal? defaultValue)
    {
        Id = id;
        Type = type;
        Groups = groups;
        Window = window;
        Currency = currency;
        DefaultValue = defaultValue;
        _sites = sites.Count == 0 ? null : new HashSet<string>(sites, StringComparer.Ordinal);
    }

    public Guid Id { get; }
    public GoalType Type { get; }
    public IReadOnlyList<ConditionGroup> Groups { get; }
    public GoalWindow? Window { get; }
    public string? Currency { get; }
    public decimal? DefaultValue { get; }

    /// <summary>An event without a site is outside every list.</summary>
    public bool SiteAllowed(string? site) => _sites is null || (site is not null && _sites.Contains(site));

    public decimal? ValueOf(EventFact e) =>
        Type == GoalType.Revenue && e.RevenueAmount is { } amount && string.Equals(e.RevenueCurrency, Currency, StringComparison.OrdinalIgnoreCase)
            ? amount
            : DefaultValue;
}
