using System.Globalization;
using System.Text.Json;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Evaluation;

/// <summary>Reads an event's stored properties (a JSON object) into typed values.</summary>
public static class EventProperties
{
    public static IReadOnlyDictionary<string, PropertyValue> Parse(string json)
    {
        var result = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return result;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = FromJson(property.Value);
        }
        return result;
    }

    /// <summary>
    /// Like <see cref="Parse"/>, for stored rows: text that is not JSON (a row damaged outside the app)
    /// gives an error instead of an exception, so that the profile it belongs to can be set aside alone.
    /// </summary>
    public static IReadOnlyDictionary<string, PropertyValue>? TryParse(string json, ref string? error)
    {
        try
        {
            return Parse(json);
        }
        catch (JsonException ex)
        {
            error ??= $"An event's stored properties are not valid JSON: {ex.Message}";
            return null;
        }
    }

    public static PropertyValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => PropertyValue.String(element.GetString()!),
        JsonValueKind.Number => new PropertyValue(PropertyValueKind.Number, element.GetRawText()),
        JsonValueKind.True => PropertyValue.Bool(true),
        JsonValueKind.False => PropertyValue.Bool(false),
        JsonValueKind.Null or JsonValueKind.Undefined => PropertyValue.Null,
        // Objects and arrays compare as their JSON text.
        _ => PropertyValue.String(element.GetRawText()),
    };

    public static string Format(double number) => number.ToString("R", CultureInfo.InvariantCulture);
}
