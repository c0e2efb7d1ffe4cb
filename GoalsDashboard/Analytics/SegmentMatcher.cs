using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Analytics;

/// <summary>What segments read of one profile: its current property values and where it first came from.</summary>
public sealed record ProfileFacts(IReadOnlyDictionary<string, PropertyValue> Properties, string? FirstChannel, string? FirstSite)
{
    public static readonly ProfileFacts None = new(new Dictionary<string, PropertyValue>(), null, null);

    public PropertyValue ValueOf(SegmentCondition condition) => condition.Field switch
    {
        SegmentField.FirstChannel => FirstChannel is null ? PropertyValue.Null : PropertyValue.String(FirstChannel),
        SegmentField.FirstSite => FirstSite is null ? PropertyValue.Null : PropertyValue.String(FirstSite),
        _ => Properties.GetValueOrDefault(condition.Key!, PropertyValue.Null),
    };
}

/// <summary>
/// Segment membership as of now: a profile is a member when it satisfies every condition with its
/// current values (docs/evaluation.md's matching rules; a never-set property satisfies only <c>not_exists</c>).
/// </summary>
public static class SegmentMatcher
{
    public static bool Matches(IReadOnlyList<SegmentCondition> conditions, ProfileFacts profile) =>
        conditions.All(c => Matches(c, profile.ValueOf(c)) != c.Negate);

    private static bool Matches(SegmentCondition condition, PropertyValue value) => condition.Operator == Operator.OneOf
        ? (condition.Values ?? []).Any(v => ValueMatcher.Matches(value, Operator.Equals, v))
        : ValueMatcher.Matches(value, condition.Operator, condition.Value);

    /// <summary>
    /// Whether a profile that holds none of the conditions' property keys can be a member; when it
    /// cannot, only profiles holding some of the keys need to be looked at.
    /// </summary>
    public static bool NeedsEveryProfile(IReadOnlyList<SegmentCondition> conditions) =>
        conditions.Any(c => c.Field != SegmentField.Property)
        || Matches(conditions.Where(c => c.Field == SegmentField.Property).ToList(), ProfileFacts.None);

    /// <summary>The members among <paramref name="candidates"/> (every profile, or those holding one of the keys).</summary>
    public static HashSet<long> Members(IReadOnlyList<SegmentCondition> conditions, IEnumerable<(long Id, ProfileFacts Facts)> candidates)
    {
        var members = new HashSet<long>();
        foreach (var (id, facts) in candidates)
        {
            if (Matches(conditions, facts))
            {
                members.Add(id);
            }
        }
        return members;
    }
}
