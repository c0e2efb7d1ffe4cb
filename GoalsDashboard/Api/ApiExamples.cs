namespace GoalsDashboard.Api;

/// <summary>
/// Request bodies as the OpenAPI document shows them (the shapes of docs/api.md). A test posts
/// each one to its endpoint, so an example that stops being accepted fails the build.
/// </summary>
public static class ApiExamples
{
    /// <summary>Stands for a goal id in the funnel example; the test puts real ones in its place.</summary>
    public const string FirstGoalId = "00000000-0000-0000-0000-00000000000a";
    public const string SecondGoalId = "00000000-0000-0000-0000-00000000000b";

    public const string Events = """
        [{ "event_id": "e-1", "profile_id": "p-42", "name": "purchase_completed", "timestamp": "2026-03-01T10:00:00Z",
           "site": "shop.example.com", "path": null, "channel": "email", "campaign": "spring-sale",
           "properties": { "order_value": 70 }, "revenue": { "amount": 70.0, "currency": "EUR" } },
         { "event_id": "e-2", "profile_id": "p-42", "name": "pageview", "timestamp": "2026-03-01T10:05:00Z",
           "site": "shop.example.com", "path": "/pricing", "channel": "email" }]
        """;

    public const string Properties = """
        { "properties": { "plan": "pro", "company_size": 50, "newsletter": true }, "timestamp": "2026-03-01T11:00:00Z" }
        """;

    public const string Conversion = """
        { "goal": "Demo Booked", "profile_id": "p-42", "timestamp": "2026-03-01T12:00:00Z", "value": 250.0 }
        """;

    public const string Match = """
        { "visitor_identity": "p-42", "goal_matched_at": "2026-03-02T09:30:00Z", "goal_value": 1200.0 }
        """;

    public const string Goal = """
        { "name": "Big purchase", "type": "combined",
          "groups": [ { "conditions": [
              { "kind": "event", "event_name": "purchase_completed", "negate": false,
                "filters": [ { "key": "order_value", "operator": "greater_than", "value": "50" } ] },
              { "kind": "pageview", "path": "/pricing" },
              { "kind": "property", "key": "plan", "operator": "equals", "value": "pro", "negate": false } ] } ],
          "currency": null, "default_value": 10.0, "target_rate": 5.0, "description": null,
          "window": { "amount": 7, "unit": "days", "anchor": "first_seen", "anchor_event": null },
          "sites": [], "campaigns": [] }
        """;

    public const string GoalPatch = """
        { "target_rate": 7.5, "description": "Raised after the spring campaign" }
        """;

    public const string Campaign = """
        { "name": "Spring sale", "key": "spring-sale", "channel": "email", "starts_on": "2026-03-01", "ends_on": "2026-03-31" }
        """;

    public const string Audience = """
        { "entries": [ { "profile_id": "p-42", "entered_at": "2026-03-01T08:00:00Z" }, { "profile_id": "p-43" } ] }
        """;

    public const string Annotation = """
        { "date": "2026-11-20", "text": "Black Friday campaign launched" }
        """;

    public const string Segment = """
        { "name": "Pro plan, not from search ads",
          "conditions": [ { "kind": "property", "key": "plan", "operator": "equals", "value": "pro" },
                          { "kind": "first_channel", "operator": "equals", "value": "paid_search", "negate": true } ] }
        """;

    public const string Funnel = $$"""
        { "name": "Signup to purchase",
          "steps": [ { "goal_id": "{{FirstGoalId}}" }, { "goal_id": "{{SecondGoalId}}", "window": { "amount": 14, "unit": "days" } } ],
          "window": { "amount": 30, "unit": "days" } }
        """;
}
