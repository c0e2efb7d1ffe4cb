using System.Text;

namespace GoalsDashboard.Domain;

/// <summary>The plain-language sentence of a goal definition, shown in lists, the wizard and the details page.</summary>
public static class GoalSentence
{
    public static string Describe(GoalType type, IReadOnlyList<ConditionGroup> groups, GoalWindow? window, IReadOnlyList<string> sites)
    {
        if (type == GoalType.Tracked || groups.Count == 0)
        {
            return "Completed when a conversion is recorded through the API.";
        }
        var text = new StringBuilder("Completed when ");
        for (var g = 0; g < groups.Count; g++)
        {
            if (g > 0)
            {
                text.Append(", or when ");
            }
            var parts = groups[g].Conditions.Select(Describe).ToList();
            text.Append(parts.Count switch
            {
                0 => "(no conditions)",
                1 => parts[0],
                _ => string.Join(", ", parts[..^1]) + " and " + parts[^1],
            });
        }
        if (window is not null)
        {
            var unit = window.Unit == WindowUnit.Days ? (window.Amount == 1 ? "day" : "days") : (window.Amount == 1 ? "hour" : "hours");
            text.Append(window.Anchor == WindowAnchor.Event
                ? $", within {window.Amount} {unit} of their first {window.AnchorEvent}"
                : $", within {window.Amount} {unit} of their first visit");
        }
        if (sites.Count > 0)
        {
            text.Append(sites.Count == 1 ? $", on {sites[0]}" : $", on {string.Join(" or ", sites)}");
        }
        return text.Append('.').ToString();
    }

    public static string Describe(Condition c)
    {
        var core = c.Kind switch
        {
            // A condition still being written reads as what is missing, never as an empty quote.
            ConditionKind.Event => (c.Negate ? "they never triggered " : "they trigger ") + (string.IsNullOrWhiteSpace(c.EventName) ? "an event (not chosen yet)" : Quote(c.EventName)),
            // Paths as stored (trimmed, leading "/"), so a draft's sentence never promises what saving changes.
            ConditionKind.PageView => (c.Negate ? "they never visit " : "they visit ") + (string.IsNullOrWhiteSpace(c.Path) ? "a page (not chosen yet)" : GoalRules.NormalizePath(c.Path)),
            ConditionKind.Property => string.IsNullOrWhiteSpace(c.Key) ? "a profile property (not chosen yet) matches"
                : (c.Negate ? "it is not true that " : "") + Describe(new PropertyFilter(c.Key, c.Operator, c.Value)),
            _ => "",
        };
        if (c.Filters.Count > 0)
        {
            core += " where " + string.Join(" and ", c.Filters.Select(Describe));
        }
        return core;
    }

    public static string Describe(PropertyFilter f) =>
        f.Operator.NeedsValue() ? $"{f.Key} {f.Operator.ToPhrase()} {Quote(f.Value)}" : $"{f.Key} {f.Operator.ToPhrase()}";

    private static string Quote(string? s) => $"\u201C{s}\u201D";
}
