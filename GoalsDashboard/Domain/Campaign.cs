namespace GoalsDashboard.Domain;

public sealed class Campaign
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The value events carry in their <c>campaign</c> field.</summary>
    public string Key { get; set; } = "";
    public string Channel { get; set; } = "";
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>
/// A profile in a campaign's audience. It entered at the earlier of its first event carrying the
/// campaign key and its imported entry time.
/// </summary>
public sealed class AudienceEntry
{
    public int CampaignId { get; set; }
    public long ProfileId { get; set; }
    public DateTimeOffset? FirstEventAt { get; set; }
    public DateTimeOffset? ImportedAt { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
}

public sealed record CampaignDraft(string? Name, string? Key, string? Channel, DateOnly? StartsOn, DateOnly? EndsOn);

public static class CampaignRules
{
    public const int MaxNameLength = 200;
    public const int MaxKeyLength = 200;
    public const int MaxChannelLength = 100;
    public const int MaxAudienceImport = 10_000;
    public static readonly DateOnly MinDate = new(1970, 1, 1);
    public static readonly DateOnly MaxDate = new(9999, 12, 1);

    /// <summary>Trims and checks a campaign; every problem is reported at once, keyed by the API's field names.</summary>
    public static CampaignDraft Normalize(CampaignDraft draft)
    {
        var errors = new ValidationErrors();
        var name = Required(draft.Name, "name", MaxNameLength, "Enter a name, for example Spring sale 2026.", errors);
        var key = Required(draft.Key, "key", MaxKeyLength, "Enter the key that events carry in their campaign field, for example spring-sale.", errors);
        var channel = Required(draft.Channel, "channel", MaxChannelLength, "Enter the channel, for example email or paid_social.", errors);
        foreach (var (date, field) in new[] { (draft.StartsOn, "starts_on"), (draft.EndsOn, "ends_on") })
        {
            if (date is { } d && (d < MinDate || d > MaxDate))
            {
                errors.Add(field, $"Campaign dates lie between {MinDate:yyyy-MM-dd} and {MaxDate:yyyy-MM-dd}.");
            }
        }
        if (draft is { StartsOn: { } starts, EndsOn: { } ends } && ends < starts)
        {
            errors.Add("ends_on", "The campaign ends before it starts: ends_on must be on or after starts_on.");
        }
        errors.ThrowIfAny();
        return draft with { Name = name, Key = key, Channel = channel };
    }

    private static string Required(string? text, string field, int max, string missing, ValidationErrors errors)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            errors.Add(field, missing);
        }
        else if (value.Length > max)
        {
            errors.Add(field, $"This is {value.Length} characters; the limit is {max}.");
        }
        return value;
    }
}
