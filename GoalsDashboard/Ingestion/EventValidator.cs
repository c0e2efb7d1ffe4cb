using System.Globalization;
using System.Text.Json;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Ingestion;

/// <summary>Validates tracked events and property changes (docs/evaluation.md and docs/api.md) into their stored form.</summary>
public static partial class EventValidator
{
    public static IncomingEvent? ReadEvent(JsonElement json, string prefix, DateTimeOffset now, ValidationErrors errors)
    {
        string F(string name) => prefix + name;
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.TrimEnd('.'), "An event must be a JSON object.");
            return null;
        }
        var before = errors.ToDictionary().Count;
        var profileId = Text(json, "profile_id", F("profile_id"), Profile.MaxExternalIdLength, required: true, errors);
        var name = Text(json, "name", F("name"), IngestionLimits.MaxNameLength, required: true, errors);
        var eventId = Text(json, "event_id", F("event_id"), IngestionLimits.MaxEventIdLength, required: false, errors);
        var site = Text(json, "site", F("site"), IngestionLimits.MaxSiteLength, required: false, errors);
        var path = Text(json, "path", F("path"), IngestionLimits.MaxPathLength, required: false, errors);
        var channel = Text(json, "channel", F("channel"), IngestionLimits.MaxChannelLength, required: false, errors);
        var campaign = Text(json, "campaign", F("campaign"), IngestionLimits.MaxCampaignLength, required: false, errors);
        var timestamp = Timestamp(json, F("timestamp"), now, errors);
        if (name == TrackedEvent.PageViewName && path is null)
        {
            errors.Add(F("path"), "A pageview needs the page's path.");
        }

        string? propertiesJson = null;
        if (json.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                errors.Add(F("properties"), "properties must be a JSON object.");
            }
            else
            {
                ValidateProperties(properties, F("properties"), errors);
                propertiesJson = properties.GetRawText();
            }
        }

        decimal? amount = null;
        string? currency = null;
        if (json.TryGetProperty("revenue", out var revenue) && revenue.ValueKind != JsonValueKind.Null)
        {
            if (revenue.ValueKind != JsonValueKind.Object)
            {
                errors.Add(F("revenue"), "revenue must be an object {amount, currency}.");
            }
            else
            {
                if (revenue.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetDecimal(out var d))
                {
                    if (Money.Check(d, "The amount") is { } outOfRange)
                    {
                        errors.Add(F("revenue.amount"), outOfRange);
                    }
                    amount = d;
                }
                else
                {
                    errors.Add(F("revenue.amount"), "revenue.amount must be a number.");
                }
                currency = revenue.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()!.Trim().ToUpperInvariant() : null;
                if (!Currencies.IsValid(currency))
                {
                    errors.Add(F("revenue.currency"), "revenue.currency must be an ISO 4217 code such as EUR.");
                }
            }
        }
        if (errors.ToDictionary().Count > before)
        {
            return null;
        }
        return new IncomingEvent(eventId, profileId!, name!, timestamp, site, path, channel, campaign, propertiesJson, amount, currency);
    }

    public static void ValidateProperties(JsonElement properties, string field, ValidationErrors errors)
    {
        var count = 0;
        foreach (var property in properties.EnumerateObject())
        {
            count++;
            if (property.Name.Length is 0 or > GoalRules.MaxKeyLength)
            {
                errors.Add($"{field}.{Truncate(property.Name)}", $"Property keys are 1 to {GoalRules.MaxKeyLength} characters.");
            }
            if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > GoalRules.MaxValueLength)
            {
                errors.Add($"{field}.{Truncate(property.Name)}", $"Property values are at most {GoalRules.MaxValueLength} characters.");
            }
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                errors.Add($"{field}.{Truncate(property.Name)}", "Property values are strings, numbers, booleans or null.");
            }
        }
        if (count > IngestionLimits.MaxProperties)
        {
            errors.Add(field, $"At most {IngestionLimits.MaxProperties} properties; this has {count}.");
        }
    }

    public static IReadOnlyList<IncomingPropertyChange> ReadPropertyChanges(JsonElement properties, string field, ValidationErrors errors)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "properties must be a JSON object of key → value.");
            return [];
        }
        ValidateProperties(properties, field, errors);
        var result = properties.EnumerateObject().Select(p => new IncomingPropertyChange(p.Name, EventProperties.FromJson(p.Value))).ToList();
        if (result.Count == 0)
        {
            errors.Add(field, "Send at least one property.");
        }
        return result;
    }

    /// <summary>The earliest instant a body may carry (docs/api.md, "Input ranges").</summary>
    public static readonly DateTimeOffset MinTimestamp = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// An ISO 8601 date and time (<c>2026-03-01T10:00:00Z</c>; seconds, fractions and the offset optional; an
    /// offset is honoured, none means UTC); missing means now. A date alone or any other format is refused,
    /// as are instants before 1970 or more than an hour in the future.
    /// </summary>
    public static DateTimeOffset Timestamp(JsonElement json, string field, DateTimeOffset now, ValidationErrors errors, string name = "timestamp")
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return now;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (text is null || !IsoDateTime().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            errors.Add(field, "Use an ISO 8601 date and time such as 2026-03-01T10:00:00Z.");
            return now;
        }
        if (at < MinTimestamp)
        {
            errors.Add(field, "The timestamp is before 1970-01-01.");
        }
        else if (at > now + IngestionLimits.MaxFuture)
        {
            errors.Add(field, "The timestamp is more than an hour in the future; check the sender's clock.");
        }
        return at.ToUniversalTime();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex IsoDateTime();

    private static string? Text(JsonElement json, string name, string field, int max, bool required, ValidationErrors errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(field, $"{name} is required.");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"{name} must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, $"{name} cannot be empty.");
            }
            return null;
        }
        if (text.Length > max)
        {
            errors.Add(field, $"{name} is {text.Length} characters; the limit is {max}.");
            return null;
        }
        return text;
    }

    private static string Truncate(string key) => key.Length > 40 ? key[..40] : key;
}
