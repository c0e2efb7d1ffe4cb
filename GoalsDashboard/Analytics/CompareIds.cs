using GoalsDashboard.Services;

namespace GoalsDashboard.Analytics;

/// <summary>The <c>ids</c> of a comparison's address: goal ids separated by commas, at most six.</summary>
public static class CompareIds
{
    public static IReadOnlyList<Guid> Parse(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Guid.TryParse(s, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().Take(AnalyticsService.MaxCompareGoals).ToList();
}
