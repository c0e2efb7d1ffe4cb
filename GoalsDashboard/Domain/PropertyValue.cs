using System.Globalization;

namespace GoalsDashboard.Domain;

public enum PropertyValueKind : byte { Null = 0, String = 1, Number = 2, Bool = 3 }

/// <summary>
/// A profile or event property value as received: string, number or bool (or null, which counts as absent).
/// Numbers keep their invariant-culture text so that comparisons follow docs/evaluation.md's matching rules exactly.
/// </summary>
public readonly record struct PropertyValue(PropertyValueKind Kind, string? Text)
{
    public static readonly PropertyValue Null = new(PropertyValueKind.Null, null);

    public static PropertyValue String(string text) => new(PropertyValueKind.String, text);

    public static PropertyValue Number(double number) => new(PropertyValueKind.Number, number.ToString("R", CultureInfo.InvariantCulture));

    public static PropertyValue Bool(bool value) => new(PropertyValueKind.Bool, value ? "true" : "false");

    public bool IsAbsent => Kind == PropertyValueKind.Null;

    public override string ToString() => Text ?? "";
}
