namespace GoalsDashboard.Domain;

/// <summary>A saved set of AND-ed profile conditions, e.g. <c>lead_source equals webinar</c>.</summary>
public sealed class Segment
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public IReadOnlyList<SegmentCondition> Conditions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>What a segment condition tests: a profile property, or where the profile first came from.</summary>
public enum SegmentField { Property, FirstChannel, FirstSite }

/// <summary>
/// One condition of a segment. A property condition tests the profile's current value of
/// <see cref="Key"/>; first channel and first site test the channel and site of its earliest event.
/// <see cref="Operator.OneOf"/> compares with <see cref="Values"/> (as equals does, any of them) and has no <see cref="Value"/>.
/// </summary>
public sealed record SegmentCondition(SegmentField Field, string? Key, Operator Operator, string? Value, bool Negate = false, IReadOnlyList<string>? Values = null)
{
    public static SegmentCondition Property(string key, Operator op, string? value, bool negate = false) => new(SegmentField.Property, key, op, value, negate);
}

public sealed record SegmentDraft(string? Name, IReadOnlyList<SegmentCondition> Conditions);

public static class SegmentRules
{
    public const int MaxNameLength = 100;
    public const int MaxConditions = 20;
    public const int MaxValues = 100;

    /// <summary>Trims and checks a segment; every problem is reported at once, keyed by the API's field names.</summary>
    public static SegmentDraft Normalize(SegmentDraft draft)
    {
        var errors = new ValidationErrors();
        var name = draft.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "Enter a name, for example Webinar leads.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"The name is {name.Length} characters; the limit is {MaxNameLength}.");
        }
        if (draft.Conditions.Count == 0)
        {
            errors.Add("conditions", "Add at least one condition: a segment of everyone is the whole workspace.");
        }
        else if (draft.Conditions.Count > MaxConditions)
        {
            errors.Add("conditions", $"A segment has at most {MaxConditions} conditions; this one has {draft.Conditions.Count}.");
        }
        var conditions = new List<SegmentCondition>(draft.Conditions.Count);
        for (var i = 0; i < draft.Conditions.Count; i++)
        {
            var c = draft.Conditions[i];
            var field = $"conditions[{i}]";
            if (!Enum.IsDefined(c.Field))
            {
                errors.Add($"{field}.kind", "Choose what the condition tests: property, first_channel or first_site.");
                conditions.Add(c);
                continue;
            }
            // First channel and first site have no key; the test needs one only to report errors against.
            var key = c.Field == SegmentField.Property ? c.Key : "-";
            if (c.Operator == Operator.OneOf)
            {
                var values = NormalizeValues(c.Values, field, errors);
                // The key is checked as any test checks it (a valueless operator, so only the key is looked at).
                var keyed = GoalRules.NormalizeTest(key, Operator.Exists, null, field, errors);
                conditions.Add(c with { Key = c.Field == SegmentField.Property ? keyed.Key : null, Value = null, Values = values });
                continue;
            }
            var test = GoalRules.NormalizeTest(key, c.Operator, c.Value, field, errors);
            conditions.Add(c with { Key = c.Field == SegmentField.Property ? test.Key : null, Value = test.Value, Values = null });
        }
        errors.ThrowIfAny();
        return new SegmentDraft(name, conditions);
    }

    /// <summary>One_of's values: each kept as typed (as equals keeps its value), empty ones dropped, repeats once.</summary>
    private static IReadOnlyList<string> NormalizeValues(IReadOnlyList<string>? values, string field, ValidationErrors errors)
    {
        var kept = (values ?? []).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (kept.Count == 0)
        {
            errors.Add($"{field}.values", "Enter at least one value: is one of compares with a list, for example webinar and ads.");
        }
        else if (kept.Count > MaxValues)
        {
            errors.Add($"{field}.values", $"Is one of takes at most {MaxValues} values; this one has {kept.Count}.");
        }
        else if (kept.FirstOrDefault(v => v.Length > GoalRules.MaxValueLength) is { } tooLong)
        {
            errors.Add($"{field}.values", $"A value is {tooLong.Length} characters; the limit is {GoalRules.MaxValueLength}.");
        }
        return kept;
    }

    /// <summary>The conditions in words, for lists and headers: lead_source is "webinar" and first channel is "email".</summary>
    public static string Describe(IReadOnlyList<SegmentCondition> conditions) =>
        string.Join(" and ", conditions.Select(c =>
        {
            var subject = c.Field switch
            {
                SegmentField.FirstChannel => "first channel",
                SegmentField.FirstSite => "first site",
                _ => c.Key,
            };
            var test = c.Operator == Operator.OneOf ? $"{c.Operator.ToPhrase()} {string.Join(", ", (c.Values ?? []).Select(v => $"\"{v}\""))}"
                : c.Operator.NeedsValue() ? $"{c.Operator.ToPhrase()} \"{c.Value}\"" : c.Operator.ToPhrase();
            return c.Negate ? $"not ({subject} {test})" : $"{subject} {test}";
        }));
}
