using System.Globalization;
using System.Text.Json;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Api;

/// <summary>Typed reads of request JSON that record a field error instead of throwing, so every mistake is reported at once.</summary>
public sealed class JsonFields(ValidationErrors errors, string prefix = "")
{
    public ValidationErrors Errors => errors;

    public string Field(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public JsonFields Nested(string name) => new(errors, Field(name));

    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(JsonElement obj, string name, bool required = false)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(Field(name), $"\"{name}\" is required.");
            }
            return null;
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                return v.GetString();
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetBoolean() ? "true" : "false";
            default:
                errors.Add(Field(name), $"\"{name}\" must be a string.");
                return null;
        }
    }

    public decimal? Decimal(JsonElement obj, string name)
    {
        if (!Has(obj, name))
        {
            return null;
        }
        var v = obj.GetProperty(name);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
        {
            return d;
        }
        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d))
        {
            return d;
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            errors.Add(Field(name), $"\"{name}\" is too large or has too many digits.");
            return null;
        }
        errors.Add(Field(name), $"\"{name}\" must be a number.");
        return null;
    }

    /// <summary>An amount (value, default value): a number from 0 to <see cref="Money.MaxAmount"/> (docs/api.md, "Input ranges").</summary>
    public decimal? Amount(JsonElement obj, string name, string what)
    {
        var amount = Decimal(obj, name);
        if (amount is { } a && Money.Check(a, what) is { } message)
        {
            errors.Add(Field(name), message);
            return null;
        }
        return amount;
    }

    public int? Int(JsonElement obj, string name)
    {
        var d = Decimal(obj, name);
        if (d is null)
        {
            return null;
        }
        if (d != Math.Floor(d.Value) || d > int.MaxValue || d < int.MinValue)
        {
            errors.Add(Field(name), $"\"{name}\" must be a whole number.");
            return null;
        }
        return (int)d.Value;
    }

    public bool Bool(JsonElement obj, string name)
    {
        if (!Has(obj, name))
        {
            return false;
        }
        var v = obj.GetProperty(name);
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }
        errors.Add(Field(name), $"\"{name}\" must be true or false.");
        return false;
    }

    public IReadOnlyList<JsonElement> Array(JsonElement obj, string name)
    {
        if (!Has(obj, name))
        {
            return [];
        }
        var v = obj.GetProperty(name);
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Field(name), $"\"{name}\" must be an array.");
            return [];
        }
        return v.EnumerateArray().ToList();
    }

    public IReadOnlyList<string> StringArray(JsonElement obj, string name)
    {
        var items = Array(obj, name);
        var result = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind == JsonValueKind.String)
            {
                result.Add(items[i].GetString()!);
            }
            else
            {
                errors.Add($"{Field(name)}[{i}]", "Must be a string.");
            }
        }
        return result;
    }
}
