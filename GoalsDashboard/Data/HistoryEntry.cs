using System.Text.Json;

namespace GoalsDashboard.Data;

/// <summary>
/// One change to a goal, funnel, campaign or segment: who made it, when, and what was before and after
/// (docs/history.md). Written by <see cref="Changes.HistoryRecorder"/> in the save that makes the change, so no
/// writer can skip it. Kept after the subject is deleted.
/// </summary>
public sealed class HistoryEntry
{
    public long Id { get; set; }

    /// <summary><c>goal</c>, <c>funnel</c>, <c>campaign</c> or <c>segment</c>.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The subject's id as text (a goal's guid, a funnel's number…).</summary>
    public string SubjectId { get; set; } = "";

    /// <summary>Unix ms.</summary>
    public long At { get; set; }

    /// <summary>The user's name, or <c>token:NAME</c> for an API token.</summary>
    public string Actor { get; set; } = "";

    /// <summary><c>created</c>, <c>edited</c>, <c>archived</c>, <c>restored</c>, <c>deleted</c>, <c>campaign_linked</c>, <c>campaign_unlinked</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What changed, as JSON: <c>[{"field", "before", "after"}]</c> (texts; a goal's definition as a sentence).</summary>
    public string Changes { get; set; } = "[]";

    /// <summary>One changed field: its name as the API spells it, and its text before and after (null when there was none).</summary>
    public sealed record FieldChange(string Field, string? Before, string? After);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored form of <see cref="Changes"/>, the one place that writes it.</summary>
    public static string WriteChanges(IEnumerable<FieldChange> changes) => JsonSerializer.Serialize(changes, Json);

    /// <summary>The changes, read back.</summary>
    public IReadOnlyList<FieldChange> ReadChanges() => JsonSerializer.Deserialize<List<FieldChange>>(Changes, Json) ?? [];
}
