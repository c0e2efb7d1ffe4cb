using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Tests.Evaluation;

/// <summary>Small builders for hand-worked evaluation cases. Times are minutes after T0.</summary>
internal static class EvaluationTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    private static long _nextId = 1;

    public static EventFact Ev(string name, double minutes, string? site = "shop", string? path = null, string? channel = "email",
        IReadOnlyDictionary<string, PropertyValue>? props = null, decimal? revenue = null, string? currency = null, long? id = null) =>
        new(id ?? Interlocked.Increment(ref _nextId), name, At(minutes), site, path, channel, props, revenue, currency);

    public static EventFact View(string path, double minutes, string? site = "shop") => Ev(TrackedEvent.PageViewName, minutes, site, path);

    public static PropertyFact Prop(string key, string value, double minutes) => new(key, PropertyValue.String(value), At(minutes));

    public static ProfileHistory History(params object[] facts) =>
        new(1, facts.OfType<EventFact>(), facts.OfType<PropertyFact>());

    public static Goal MakeGoal(GoalType type, ConditionGroup[] groups, GoalWindow? window = null, string[]? sites = null,
        string? currency = null, decimal? defaultValue = null) =>
        Goal.Create(GoalRules.Normalize(new GoalDraft
        {
            Name = "Test goal", Type = type, Groups = groups, Window = window, Sites = sites ?? [], Currency = currency, DefaultValue = defaultValue,
        }), "test", T0);

    public static ConditionGroup Group(params Condition[] conditions) => new(conditions);
}
