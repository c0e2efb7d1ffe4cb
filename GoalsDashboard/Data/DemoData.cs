using System.Globalization;
using System.Text.Json;
using GoalsDashboard.Domain;

namespace GoalsDashboard.Data;

/// <summary>
/// Generates the demo workspace: a SaaS product's two sites, six channels, five campaigns and about
/// 5,000 profiles walking visit → signup → trial → activation → purchase over the last 90 days,
/// with weekday seasonality. Deterministic for a given seed and "now".
/// </summary>
public sealed class DemoData
{
    public const string MarketingSite = "www.acme-analytics.com";
    public const string AppSite = "app.acme-analytics.com";

    public static readonly string[] Channels = ["organic", "paid_search", "email", "social", "referral", "direct"];

    public static readonly (string Name, string Key, string Channel, int StartDaysAgo, int? EndDaysAgo)[] CampaignSpecs =
    [
        ("Spring Sale 2026", "spring-sale", "email", 80, 50),
        ("Analytics Webinar Series", "webinar-series", "email", 88, null),
        ("Product Hunt Launch", "product-hunt", "social", 45, 38),
        ("Brand Search", "brand-search", "paid_search", 90, null),
        ("Partner Referral Program", "partner-program", "referral", 70, null),
    ];

    private static readonly string[] Countries = ["US", "US", "US", "GB", "DE", "DE", "FR", "NL", "CA", "AU", "SE", "ES", "IN", "BR", "JP"];
    private static readonly string[] BlogPosts = ["/blog/conversion-goals-101", "/blog/funnel-analysis", "/blog/attribution-models", "/blog/cohort-retention", "/blog/ab-testing-guide", "/blog/release-notes"];
    private static readonly string[] DocsPages = ["/docs/getting-started", "/docs/api/events", "/docs/api/goals", "/docs/guides/funnels", "/docs/guides/segments", "/docs/sdk/javascript"];
    private static readonly string[] AppPages = ["/dashboard", "/projects", "/projects/new", "/reports", "/settings/team", "/settings/billing"];

    private readonly Random _random;
    private readonly DateTimeOffset _now;
    private readonly List<Profile> _profiles = [];
    private readonly List<TrackedEvent> _events = [];
    private readonly List<PropertyChange> _changes = [];
    private readonly Dictionary<(long, string), ProfileProperty> _current = [];
    private int _eventCounter;

    public DemoData(DateTimeOffset now, int seed = 20261124)
    {
        _random = new Random(seed);
        _now = now;
    }

    public DemoDataSet Generate(int profileCount = 5000)
    {
        for (var i = 1; i <= profileCount; i++)
        {
            GenerateProfile(i);
        }
        // Stored in time order, as a live tracker would have sent them.
        _events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return new DemoDataSet(_profiles, _events, _changes, _current.Values.ToList());
    }

    private void GenerateProfile(long id)
    {
        var firstSeen = PickFirstVisit();
        var channel = PickChannel();
        string? campaign = channel switch
        {
            "email" => Pick(0.85) ? (Pick(0.5) ? "webinar-series" : "spring-sale") : null,
            "social" => Pick(0.45) ? "product-hunt" : null,
            "paid_search" => Pick(0.8) ? "brand-search" : null,
            "referral" => Pick(0.6) ? "partner-program" : null,
            _ => null,
        };
        campaign = campaign is null ? null : CampaignIsRunning(campaign, firstSeen) ? campaign : null;
        var leadSource = campaign == "webinar-series" ? "webinar" : channel switch
        {
            "paid_search" => "paid",
            "referral" => campaign == "partner-program" ? "partner" : "referral",
            "social" => "social",
            "email" => "newsletter",
            _ => "organic",
        };
        var profile = new Profile
        {
            Id = id,
            ExternalId = $"user-{id:D5}",
            FirstSeenAt = firstSeen,
            FirstChannel = channel,
            FirstSite = MarketingSite,
            CreatedAt = firstSeen,
        };
        _profiles.Add(profile);
        SetProperty(id, "country", PropertyValue.String(Countries[_random.Next(Countries.Length)]), firstSeen);
        SetProperty(id, "lead_source", PropertyValue.String(leadSource), firstSeen);

        // Better-qualified traffic converts better: webinar and partner leads most, social least.
        var quality = leadSource switch { "webinar" => 1.5, "partner" => 1.4, "paid" => 1.1, "referral" => 1.2, "social" => 0.7, _ => 1.0 };
        var t = firstSeen;
        var sessions = 1 + (int)Math.Round(Exp(5.5));
        var signedUp = false;
        var trial = false;
        var activated = false;
        var purchased = false;

        for (var s = 0; s < sessions && t < _now; s++)
        {
            var sessionChannel = s == 0 ? channel : (Pick(0.6) ? "direct" : PickChannel());
            var sessionCampaign = s == 0 ? campaign : null;
            var pages = 2 + _random.Next(8);
            var site = signedUp && Pick(0.7) ? AppSite : MarketingSite;
            for (var p = 0; p < pages && t < _now; p++)
            {
                var path = site == AppSite ? AppPages[_random.Next(AppPages.Length)] : PickMarketingPath(s, p);
                AddEvent(id, TrackedEvent.PageViewName, t, site, sessionChannel, p == 0 ? sessionCampaign : null, path);
                t = t.AddSeconds(15 + _random.Next(240));
            }

            if (campaign == "webinar-series" && s == 0 && Pick(0.55))
            {
                AddEvent(id, "webinar_attended", t, MarketingSite, sessionChannel, null, null, new { webinar = "Goals that matter" });
                t = t.AddMinutes(45);
            }
            if (!signedUp && Pick(0.022 * quality + s * 0.004))
            {
                signedUp = true;
                AddEvent(id, "signup_completed", t, MarketingSite, sessionChannel, null, null, new { method = Pick(0.6) ? "email" : "google" });
                SetProperty(id, "plan", PropertyValue.String("free"), t);
                t = t.AddMinutes(2 + _random.Next(30));
            }
            if (signedUp && !trial && Pick(0.18 * quality))
            {
                trial = true;
                AddEvent(id, "trial_started", t, AppSite, sessionChannel, null, null, new { plan = Pick(0.7) ? "pro" : "business" });
                SetProperty(id, "plan", PropertyValue.String("trial"), t);
                t = t.AddMinutes(5 + _random.Next(120));
            }
            if (trial && !activated && Pick(0.2 * quality))
            {
                activated = true;
                AddEvent(id, "project_created", t, AppSite, sessionChannel, null, "/projects/new", new { template = Pick(0.5) ? "blank" : "ecommerce" });
                AddEvent(id, "report_shared", t.AddMinutes(20), AppSite, sessionChannel, null, "/reports", new { recipients = 1 + _random.Next(5) });
                t = t.AddMinutes(30);
            }
            if (activated && !purchased && Pick(0.18 * quality))
            {
                purchased = true;
                var business = Pick(0.3);
                var amount = business ? 249m : (Pick(0.5) ? 49m : 99m);
                var properties = new { plan = business ? "business" : "pro", seats = business ? 10 : 1 + _random.Next(4), order_value = amount };
                AddEvent(id, "purchase_completed", t, AppSite, sessionChannel, null, "/settings/billing", properties, amount, "EUR");
                SetProperty(id, "plan", PropertyValue.String(business ? "business" : "pro"), t);
                t = t.AddMinutes(10);
            }
            else if (purchased && Pick(0.15))
            {
                // Some customers buy again (extra seats): repeated conversions of the purchase goal.
                AddEvent(id, "purchase_completed", t, AppSite, sessionChannel, null, "/settings/billing", new { plan = "pro", seats = 1, order_value = 29 }, 29m, "EUR");
            }

            // Next session: hours to days later, and later still at weekends.
            t = NextWeekdayBiased(t.AddHours(2 + Exp(30)));
        }
    }

    private string PickMarketingPath(int session, int page)
    {
        if (session == 0 && page == 0)
        {
            return Pick(0.5) ? "/" : Pick(0.5) ? BlogPosts[_random.Next(BlogPosts.Length)] : "/features";
        }
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.03 => "/pricing",
            < 0.30 => "/features",
            < 0.62 => BlogPosts[_random.Next(BlogPosts.Length)],
            < 0.66 => DocsPages[_random.Next(DocsPages.Length)],
            < 0.80 => "/customers",
            < 0.90 => "/about",
            _ => "/",
        };
    }

    private void AddEvent(long profileId, string name, DateTimeOffset at, string site, string channel, string? campaign,
        string? path, object? properties = null, decimal? revenue = null, string? currency = null)
    {
        if (at > _now)
        {
            return;
        }
        _events.Add(new TrackedEvent
        {
            ProfileId = profileId,
            EventId = $"demo-{++_eventCounter:D7}",
            Name = name,
            Timestamp = at,
            ReceivedAt = at,
            Site = site,
            Path = path,
            Channel = channel,
            Campaign = campaign,
            PropertiesJson = properties is null ? null : JsonSerializer.Serialize(properties),
            RevenueAmount = revenue,
            RevenueCurrency = currency,
        });
    }

    private void SetProperty(long profileId, string key, PropertyValue value, DateTimeOffset at)
    {
        if (at > _now)
        {
            return;
        }
        _changes.Add(new PropertyChange { ProfileId = profileId, Key = key, Kind = value.Kind, Value = value.Text, Timestamp = at });
        _current[(profileId, key)] = new ProfileProperty { ProfileId = profileId, Key = key, Kind = value.Kind, Value = value.Text, SetAt = at };
    }

    private DateTimeOffset PickFirstVisit()
    {
        // Weekdays draw about twice the weekend traffic; rejection sampling keeps it simple.
        while (true)
        {
            var at = _now.AddSeconds(-_random.NextDouble() * TimeSpan.FromDays(90).TotalSeconds);
            var weight = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.45 : 1.0;
            weight *= 0.8 + 0.4 * (1 - (_now - at).TotalDays / 90); // gentle growth
            if (_random.NextDouble() < weight)
            {
                return at;
            }
        }
    }

    private DateTimeOffset NextWeekdayBiased(DateTimeOffset at) =>
        at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && Pick(0.6) ? at.AddDays(at.DayOfWeek == DayOfWeek.Saturday ? 2 : 1) : at;

    private string PickChannel()
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.30 => "organic",
            < 0.48 => "paid_search",
            < 0.63 => "email",
            < 0.76 => "social",
            < 0.86 => "referral",
            _ => "direct",
        };
    }

    private bool CampaignIsRunning(string key, DateTimeOffset at)
    {
        var spec = CampaignSpecs.First(c => c.Key == key);
        var daysAgo = (_now - at).TotalDays;
        return daysAgo <= spec.StartDaysAgo && (spec.EndDaysAgo is null || daysAgo >= spec.EndDaysAgo);
    }

    private bool Pick(double probability) => _random.NextDouble() < probability;

    private double Exp(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    /// <summary>The goals a marketer of this product would set up, one or more of each type.</summary>
    public static IReadOnlyList<GoalDraft> Goals() =>
    [
        new()
        {
            Name = "Trial Signup Completed", Type = GoalType.CustomEvent,
            Description = "A visitor created an account. The top of our acquisition funnel.",
            Groups = [new ConditionGroup([Condition.ForEvent("signup_completed")])],
            Window = new GoalWindow(30, WindowUnit.Days), TargetRate = 12, DefaultValue = 5,
            Campaigns = ["webinar-series", "brand-search", "product-hunt"],
        },
        new()
        {
            Name = "Trial Started", Type = GoalType.CustomEvent,
            Description = "A signed-up user started a Pro or Business trial.",
            Groups = [new ConditionGroup([Condition.ForEvent("trial_started")])],
            TargetRate = 8, Campaigns = ["webinar-series", "spring-sale"],
        },
        new()
        {
            Name = "Workspace Activated", Type = GoalType.Combined,
            Description = "Created a project and shared a report — the activation moment.",
            Groups = [new ConditionGroup([Condition.ForEvent("project_created"), Condition.ForEvent("report_shared")])],
            Window = new GoalWindow(14, WindowUnit.Days, WindowAnchor.Event, "trial_started"), TargetRate = 5,
        },
        new()
        {
            Name = "First Purchase Made", Type = GoalType.Revenue, Currency = "EUR",
            Description = "Paid for a Pro or Business plan.",
            Groups = [new ConditionGroup([Condition.ForEvent("purchase_completed")])],
            TargetRate = 3, Campaigns = ["spring-sale", "partner-program"],
        },
        new()
        {
            Name = "Pricing Page Visited", Type = GoalType.PageView,
            Description = "Looked at pricing: a buying signal.",
            Groups = [new ConditionGroup([Condition.ForPageView("/pricing")])],
            Sites = [MarketingSite], TargetRate = 30,
        },
        new()
        {
            Name = "Docs Explorer", Type = GoalType.PageView,
            Description = "Read any page of the documentation.",
            Groups = [new ConditionGroup([Condition.ForPageView("/docs/**")])],
            Window = new GoalWindow(7, WindowUnit.Days),
        },
        new()
        {
            Name = "Business Plan Customer", Type = GoalType.Property,
            Description = "The profile's plan became Business.",
            Groups = [new ConditionGroup([Condition.ForProperty("plan", Operator.Equals, "business")])],
            TargetRate = 1,
        },
        new()
        {
            Name = "Webinar Lead Engaged", Type = GoalType.Combined,
            Description = "Attended a webinar, or came from one and read the pricing page.",
            Groups =
            [
                new ConditionGroup([Condition.ForEvent("webinar_attended")]),
                new ConditionGroup([Condition.ForProperty("lead_source", Operator.Equals, "webinar"), Condition.ForPageView("/pricing")]),
            ],
            Window = new GoalWindow(21, WindowUnit.Days), Campaigns = ["webinar-series"],
        },
    ];

    public static IReadOnlyList<(string Name, SegmentCondition[] Conditions)> Segments() =>
    [
        ("Webinar leads", [SegmentCondition.Property("lead_source", Operator.Equals, "webinar")]),
        ("Partner leads", [SegmentCondition.Property("lead_source", Operator.Equals, "partner")]),
        ("Paying customers", [SegmentCondition.Property("plan", Operator.Equals, "pro")]),
        ("US visitors", [SegmentCondition.Property("country", Operator.Equals, "US")]),
        ("First came by email", [new SegmentCondition(SegmentField.FirstChannel, null, Operator.Equals, "email")]),
    ];

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
