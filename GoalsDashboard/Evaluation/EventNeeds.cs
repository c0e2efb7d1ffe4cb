using System.Text;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Evaluation;

/// <summary>
/// The stored events that evaluating some goals can look at, so that a read of all history (a
/// backfill) need not materialise the others. A profile's history reduced to
/// <list type="number">
/// <item>the events a condition or a window anchor of the goals names (page views: whose path one of their patterns matches),</item>
/// <item>the profile's first event,</item>
/// <item>the first event at each instant that has more than one event of the profile, or at which one of its properties changed,</item>
/// </list>
/// evaluates exactly as the whole history does (<see cref="GoalEvaluator"/>), and so does any history between the two.
/// Why: whether a goal holds at time t changes only at a condition's first match (an event of 1) or at a
/// property change, so the earliest instant at which it holds is one of those, or the first instant of its
/// window (the first event, 2; the anchor, 1; or a change). Conversions are events of 1. The completion's
/// trigger, channel and site come from a conversion at that instant, else from the first event at it (2, 3),
/// else from the first event (2).
/// </summary>
public sealed class EventNeeds
{
    private readonly byte[][] _names;
    private readonly string[] _patterns;

    private EventNeeds(IEnumerable<string> names, IEnumerable<string> patterns, bool withProperties)
    {
        Names = names.Distinct(StringComparer.Ordinal).ToArray();
        _names = Names.Select(Encoding.UTF8.GetBytes).ToArray();
        _patterns = patterns.Distinct(StringComparer.Ordinal).ToArray();
        WithProperties = withProperties;
    }

    /// <summary>The names of the events used whatever their path.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// What every used page view's path starts with, one per pattern (the text before its first <c>*</c>;
    /// a stored path keeps its query, which only follows): a filter a store can apply before <see cref="UsesPageView"/>.
    /// </summary>
    public IReadOnlyList<string> PathPrefixes => _patterns.Select(p => p.IndexOf('*') is var star and >= 0 ? p[..star] : p).Distinct().ToList();

    public static EventNeeds For(IEnumerable<GoalSpec> goals)
    {
        var names = new List<string>();
        var patterns = new List<string>();
        var withProperties = false;
        foreach (var goal in goals)
        {
            if (goal.Window is { Anchor: WindowAnchor.Event, AnchorEvent: { } anchor })
            {
                names.Add(anchor);
            }
            foreach (var condition in goal.Groups.SelectMany(g => g.Conditions))
            {
                withProperties |= condition.Filters.Count > 0;
                if (condition.Kind == ConditionKind.Event && condition.EventName is not null)
                {
                    names.Add(condition.EventName);
                }
                else if (condition.Kind == ConditionKind.PageView && condition.Path is not null)
                {
                    patterns.Add(condition.Path);
                }
            }
        }
        return new EventNeeds(names, patterns, withProperties);
    }

    /// <summary>Whether the used events' properties are read (a condition filters on them).</summary>
    public bool WithProperties { get; }

    /// <summary>Whether an event of this name (UTF-8) is used whatever its path. Page views are decided by <see cref="UsesPageView"/>.</summary>
    public bool UsesName(ReadOnlySpan<byte> utf8Name)
    {
        foreach (var name in _names)
        {
            if (utf8Name.SequenceEqual(name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether any page view can be used: when not, a page view's path need not be read.</summary>
    public bool UsesPageViews => _patterns.Length > 0;

    public bool UsesPageView(string? path)
    {
        foreach (var pattern in _patterns)
        {
            if (PathPattern.IsMatch(pattern, path))
            {
                return true;
            }
        }
        return false;
    }

    public bool Uses(EventFact e) =>
        Names.Contains(e.Name, StringComparer.Ordinal) || (e.Name == TrackedEvent.PageViewName && UsesPageView(e.Path));

    /// <summary>The history reduced as the class describes: what a read with these needs hands to evaluation.</summary>
    public ProfileHistory Reduce(ProfileHistory history)
    {
        var changed = history.Changes.Select(c => c.Timestamp).ToHashSet();
        var kept = history.Events.Where((e, i) =>
            i == 0
            || Uses(e)
            || (history.Events[i - 1].Timestamp != e.Timestamp
                && (changed.Contains(e.Timestamp) || (i + 1 < history.Events.Count && history.Events[i + 1].Timestamp == e.Timestamp))));
        return new ProfileHistory(history.ProfileId, kept, history.Changes);
    }
}
