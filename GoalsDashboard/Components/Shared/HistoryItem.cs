using GoalsDashboard.Data;

namespace GoalsDashboard.Components.Shared;

/// <summary>One history entry as the History tab or panel shows it (docs/history.md): who did what, when, and each change.</summary>
public sealed record HistoryItem(DateTimeOffset At, string Actor, string Action, string Verb, IReadOnlyList<HistoryItem.Field> Changes)
{
    /// <summary>A changed field: its label, and its text before and after (null when there was none).</summary>
    public sealed record Field(string Name, string Label, string? Before, string? After);

    public static HistoryItem From(HistoryEntry entry, TimeZoneInfo zone)
    {
        var changes = entry.ReadChanges();
        return new HistoryItem(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(entry.At), zone), entry.Actor, entry.Action,
            Verbs.TryGetValue(entry.Action, out var verb) ? string.Format(System.Globalization.CultureInfo.InvariantCulture, verb, entry.Subject) : entry.Action.Replace('_', ' '),
            // A creation's and a deletion's name is in the sentence already; the rest is what changed.
            changes.Where(c => !(c.Field == "name" && entry.Action is "created" or "deleted"))
                .Select(c => new Field(c.Field, Labels.GetValueOrDefault(c.Field, Humanize(c.Field)), c.Before, c.After)).ToList());
    }

    private static readonly Dictionary<string, string> Verbs = new()
    {
        ["created"] = "created this {0}",
        ["edited"] = "edited this {0}",
        ["archived"] = "archived this {0}",
        ["restored"] = "restored this {0}",
        ["deleted"] = "deleted this {0}",
        ["campaign_linked"] = "linked a campaign",
        ["campaign_unlinked"] = "unlinked a campaign",
    };

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["definition"] = "Definition",
        ["campaigns"] = "Campaigns",
        ["target_rate"] = "Target rate (%)",
        ["value_property"] = "Value property",
        ["default_value"] = "Default value",
    };

    private static string Humanize(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' ');
}
