using System.Globalization;
using System.Text;

namespace GoalsDashboard.Benchmarks;

/// <summary>One generated event, kept both as API JSON and as the raw row the insert baseline writes.</summary>
internal readonly record struct BenchEvent(string EventId, int Profile, string Name, long TimestampMs, string Site, string? Path, string Channel, double? Revenue);

/// <summary>
/// A deterministic workload shaped like the demo: mostly page views, a signup → trial → purchase
/// journey that drops off, two sites, six channels, 90 days.
/// </summary>
internal sealed class EventData
{
    private static readonly string[] Paths = ["/", "/pricing", "/features", "/blog/goal-tracking", "/blog/attribution", "/docs/getting-started", "/docs/api/events", "/signup", "/checkout"];
    private static readonly string[] Channels = ["organic", "direct", "paid_search", "social", "email", "referral"];
    private static readonly string[] Sites = ["www.example.com", "app.example.com"];

    private EventData(BenchEvent[] events) => Events = events;

    public BenchEvent[] Events { get; }

    public int Count => Events.Length;

    public static EventData Generate(int profiles, int count, int seed)
    {
        var random = new Random(seed);
        var end = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var span = (long)TimeSpan.FromDays(90).TotalMilliseconds;
        var events = new BenchEvent[count];
        for (var i = 0; i < count; i++)
        {
            var profile = random.Next(profiles);
            var ts = end - (long)(random.NextDouble() * span);
            var site = Sites[profile % 7 == 0 ? 1 : 0];
            var channel = Channels[profile % Channels.Length];
            var roll = random.Next(100);
            events[i] = roll switch
            {
                < 80 => new BenchEvent($"e{i}", profile, "pageview", ts, site, Paths[random.Next(Paths.Length)], channel, null),
                < 88 => new BenchEvent($"e{i}", profile, "signup_completed", ts, site, null, channel, null),
                < 94 => new BenchEvent($"e{i}", profile, "trial_started", ts, site, null, channel, null),
                < 98 => new BenchEvent($"e{i}", profile, "feature_used", ts, "app.example.com", null, channel, null),
                _ => new BenchEvent($"e{i}", profile, "purchase_completed", ts, site, null, channel, 20 + random.Next(480)),
            };
        }
        return new EventData(events);
    }

    public static string ToJson(ReadOnlySpan<BenchEvent> batch)
    {
        var json = new StringBuilder(batch.Length * 190).Append('[');
        for (var i = 0; i < batch.Length; i++)
        {
            var e = batch[i];
            if (i > 0) json.Append(',');
            json.Append("{\"event_id\":\"").Append(e.EventId).Append("\",\"profile_id\":\"u").Append(e.Profile)
                .Append("\",\"name\":\"").Append(e.Name)
                .Append("\",\"timestamp\":\"").Append(DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
                .Append("\",\"site\":\"").Append(e.Site).Append("\",\"channel\":\"").Append(e.Channel).Append('"');
            if (e.Path is not null) json.Append(",\"path\":\"").Append(e.Path).Append('"');
            if (e.Revenue is { } amount) json.Append(",\"revenue\":{\"amount\":").Append(amount.ToString(CultureInfo.InvariantCulture)).Append(",\"currency\":\"EUR\"}");
            json.Append('}');
        }
        return json.Append(']').ToString();
    }
}

/// <summary>Ten active goals of mixed types, and the one the backfill measure adds.</summary>
internal static class Workload
{
    public static readonly string[] Goals =
    [
        """{"name":"Signup Completed","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"signup_completed"}]}]}""",
        """{"name":"Trial Started","type":"custom_event","groups":[{"conditions":[{"kind":"event","event_name":"trial_started"}]}]}""",
        """{"name":"Pricing Page Visited","type":"pageview","groups":[{"conditions":[{"kind":"pageview","path":"/pricing"}]}]}""",
        """{"name":"Docs Reader","type":"pageview","groups":[{"conditions":[{"kind":"pageview","path":"/docs/**"}]}]}""",
        """{"name":"First Purchase Made","type":"revenue","currency":"EUR","groups":[{"conditions":[{"kind":"event","event_name":"purchase_completed"}]}]}""",
        """{"name":"Evaluated Then Bought","type":"combined","groups":[{"conditions":[{"kind":"pageview","path":"/pricing"},{"kind":"event","event_name":"purchase_completed"}]}]}""",
        """{"name":"Trial Within A Week Of Signup","type":"combined","window":{"amount":7,"unit":"days","anchor":"event","anchor_event":"signup_completed"},"groups":[{"conditions":[{"kind":"event","event_name":"trial_started"}]}]}""",
        """{"name":"Blog Reader Without Signup","type":"combined","groups":[{"conditions":[{"kind":"pageview","path":"/blog/*"},{"kind":"event","event_name":"signup_completed","negate":true}]}]}""",
        """{"name":"Engaged On App Site","type":"custom_event","sites":["app.example.com"],"groups":[{"conditions":[{"kind":"event","event_name":"feature_used"}]}]}""",
        """{"name":"Trial Or Checkout","type":"combined","window":{"amount":30,"unit":"days","anchor":"first_seen"},"groups":[{"conditions":[{"kind":"event","event_name":"trial_started"}]},{"conditions":[{"kind":"pageview","path":"/checkout"}]}]}""",
    ];

    public const string BackfillGoal =
        """{"name":"Features Then Signup","type":"combined","groups":[{"conditions":[{"kind":"pageview","path":"/features"},{"kind":"event","event_name":"signup_completed"}]}]}""";
}
