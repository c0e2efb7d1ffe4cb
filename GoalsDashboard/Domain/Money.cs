namespace GoalsDashboard.Domain;

/// <summary>
/// The range every amount the product accepts must lie in (revenue amounts, conversion and match values,
/// default values; docs/api.md, "Input ranges"), and how stored amounts are read back without overflow.
/// </summary>
public static class Money
{
    /// <summary>The largest amount accepted: far above any real order, far below where sums lose their cents or overflow.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>
    /// Stored amounts beyond this are not amounts the product could have accepted (rows written by an older
    /// build or by hand): they read as no value rather than overflowing a sum or a conversion to decimal.
    /// Up to 10^13 of them still sum below decimal's limit.
    /// </summary>
    private const double MaxStored = 1e15;

    /// <summary>Null when <paramref name="amount"/> is acceptable, else the message to show on its field.</summary>
    public static string? Check(decimal amount, string what) =>
        amount < 0 ? $"{what} cannot be negative."
        : amount > MaxAmount ? $"{what} can be at most {MaxAmount:N0}."
        : null;

    /// <summary>A stored amount as a decimal; a value no build accepts (not finite, or beyond 10^15 either way) reads as none.</summary>
    public static decimal? FromStored(double value) =>
        double.IsFinite(value) && Math.Abs(value) <= MaxStored ? (decimal)value : null;

    /// <summary>For non-nullable columns: an unreadable stored amount reads as 0.</summary>
    public static decimal FromStoredOrZero(double value) => FromStored(value) ?? 0m;
}
