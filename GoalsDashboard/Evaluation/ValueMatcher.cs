using System.Globalization;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Evaluation;

/// <summary>The comparison rules for property filters and property conditions (docs/evaluation.md, "Matching, decided").</summary>
public static class ValueMatcher
{
    public static bool Matches(PropertyValue actual, Operator op, string? expected)
    {
        if (op == Operator.Exists)
        {
            return !actual.IsAbsent;
        }
        if (op == Operator.NotExists)
        {
            return actual.IsAbsent;
        }
        // Absent values are seen only by exists / not_exists.
        if (actual.IsAbsent || expected is null)
        {
            return false;
        }

        var bothNumeric = TryNumber(actual, out var a) & TryNumber(expected, out var e);
        if (op.IsNumeric())
        {
            return bothNumeric && op switch
            {
                Operator.GreaterThan => a > e,
                Operator.GreaterOrEqual => a >= e,
                Operator.LessThan => a < e,
                _ => a <= e,
            };
        }

        var text = actual.Text ?? "";
        return op switch
        {
            Operator.Equals => bothNumeric ? a == e : string.Equals(text, expected, StringComparison.Ordinal),
            Operator.NotEquals => bothNumeric ? a != e : !string.Equals(text, expected, StringComparison.Ordinal),
            Operator.Contains => text.Contains(expected, StringComparison.OrdinalIgnoreCase),
            Operator.NotContains => !text.Contains(expected, StringComparison.OrdinalIgnoreCase),
            Operator.StartsWith => text.StartsWith(expected, StringComparison.Ordinal),
            _ => false,
        };
    }

    private static bool TryNumber(PropertyValue value, out double number)
    {
        if (value.Kind is PropertyValueKind.Number or PropertyValueKind.String)
        {
            return TryNumber(value.Text, out number);
        }
        number = 0;
        return false;
    }

    // A number beyond a double's range parses as ±infinity and compares as such (docs/evaluation.md); "NaN" is text.
    private static bool TryNumber(string? text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && !double.IsNaN(number)
        && (double.IsFinite(number) || !text!.Contains("Infinity", StringComparison.OrdinalIgnoreCase));
}
