using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Analytics;

/// <summary>
/// Segment membership as of now: a profile is a member when its current value of every condition's
/// property satisfies the condition (section 3.1's rules; a never-set property satisfies only
/// <c>not_exists</c>).
/// </summary>
public static class SegmentMatcher
{
    /// <summary>Whether a profile that never set any of the keys can be a member.</summary>
    public static bool MatchesUnset(IReadOnlyList<PropertyFilter> conditions) =>
        conditions.Count == 0 || conditions.Any(c => ValueMatcher.Matches(PropertyValue.Null, c.Operator, c.Value));

    /// <summary>
    /// The members among <paramref name="allProfiles"/>, given each profile's current values of the
    /// conditions' keys (profiles missing from <paramref name="properties"/> have none of them).
    /// </summary>
    public static HashSet<long> Members(
        IReadOnlyList<PropertyFilter> conditions,
        IReadOnlyDictionary<long, Dictionary<string, PropertyValue>> properties,
        IEnumerable<long> allProfiles)
    {
        var none = new Dictionary<string, PropertyValue>();
        // Unless absent values can match, only profiles holding some of the keys can be members.
        var candidates = MatchesUnset(conditions) ? allProfiles : properties.Keys;
        var members = new HashSet<long>();
        foreach (var profile in candidates)
        {
            var values = properties.GetValueOrDefault(profile) ?? none;
            if (conditions.All(c => ValueMatcher.Matches(values.GetValueOrDefault(c.Key, PropertyValue.Null), c.Operator, c.Value)))
            {
                members.Add(profile);
            }
        }
        return members;
    }
}
