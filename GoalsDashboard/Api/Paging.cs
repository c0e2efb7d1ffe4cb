using GoalsDashboard.Domain;

namespace GoalsDashboard.Api;

/// <summary>The <c>page</c> and <c>page_size</c> query parameters of the paged lists (goals, histories).</summary>
public static class Paging
{
    /// <summary>A whole number from 1 to <paramref name="max"/>, or <paramref name="fallback"/> when absent; an error naming the field otherwise.</summary>
    public static int Positive(string? text, int fallback, string field, int max, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (!int.TryParse(text, out var value) || value < 1 || value > max)
        {
            errors.Add(field, max == int.MaxValue ? $"{field} is a whole number from 1." : $"{field} is a whole number from 1 to {max}.");
            return fallback;
        }
        return value;
    }
}
