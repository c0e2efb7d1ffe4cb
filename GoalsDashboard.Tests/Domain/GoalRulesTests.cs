using GoalsDashboard.Domain;

namespace GoalsDashboard.Tests.Domain;

public class GoalRulesTests
{
    private static GoalDraft EventGoal(string eventName, string? name = "Signup") => new()
    {
        Name = name,
        Type = GoalType.CustomEvent,
        Groups = [new ConditionGroup([Condition.ForEvent(eventName)])],
    };

    private static DomainValidationException Rejected(GoalDraft draft) =>
        Assert.Throws<DomainValidationException>(() => GoalRules.Normalize(draft));

    [Fact]
    public void Normalize_TrimsNameAndEventName()
    {
        var goal = GoalRules.Normalize(EventGoal("  signup_completed  ", "  Trial Signup  "));
        Assert.Equal("Trial Signup", goal.Name);
        Assert.Equal("signup_completed", goal.Groups[0].Conditions[0].EventName);
    }

    [Fact]
    public void Name_Of255Characters_IsAccepted_And256_IsRejected()
    {
        Assert.Equal(255, GoalRules.Normalize(EventGoal("signup", new string('a', 255))).Name!.Length);
        Assert.Contains("name", Rejected(EventGoal("signup", new string('a', 256))).Errors.Keys);
    }

    [Fact]
    public void EmptyName_OnEventGoal_IsGeneratedFromTheEventName()
    {
        Assert.Equal("signup_completed", GoalRules.Normalize(EventGoal("signup_completed", "  ")).Name);
    }

    [Fact]
    public void EmptyName_OnPageViewGoal_IsVisitPath()
    {
        var draft = new GoalDraft { Type = GoalType.PageView, Groups = [new ConditionGroup([Condition.ForPageView("pricing")])] };
        var goal = GoalRules.Normalize(draft);
        Assert.Equal("Visit /pricing", goal.Name);
        Assert.Equal("/pricing", goal.Groups[0].Conditions[0].Path);
    }

    [Fact]
    public void EmptyName_OnPropertyGoal_IsRejected()
    {
        var draft = new GoalDraft { Type = GoalType.Property, Groups = [new ConditionGroup([Condition.ForProperty("plan", Operator.Equals, "pro")])] };
        Assert.Contains("name", Rejected(draft).Errors.Keys);
    }

    [Fact]
    public void EventName_Of120Characters_IsAccepted_And121_IsRejected()
    {
        GoalRules.Normalize(EventGoal(new string('e', 120)));
        var error = Rejected(EventGoal(new string('e', 121)));
        Assert.Contains("groups[0].conditions[0].event_name", error.Errors.Keys);
    }

    [Theory]
    [InlineData("engagement")]
    [InlineData(" Engagement ")]
    public void EventName_Engagement_IsReserved(string name)
    {
        var error = Rejected(EventGoal(name));
        Assert.Contains("reserved", error.Errors["groups[0].conditions[0].event_name"][0]);
    }

    [Fact]
    public void Filters_ThreeAreAccepted_FourAreRejected()
    {
        var filter = new PropertyFilter("plan", Operator.Equals, "pro");
        GoalRules.Normalize(EventGoal("x") with { Groups = [new ConditionGroup([Condition.ForEvent("x", filter, filter, filter)])] });
        var error = Rejected(EventGoal("x") with { Groups = [new ConditionGroup([Condition.ForEvent("x", filter, filter, filter, filter)])] });
        Assert.Contains("groups[0].conditions[0].filters", error.Errors.Keys);
    }

    [Fact]
    public void FilterKeyAndValue_LimitsAreEnforcedOnBothSides()
    {
        GoalDraft With(string key, string value) => EventGoal("x") with
        {
            Groups = [new ConditionGroup([Condition.ForEvent("x", new PropertyFilter(key, Operator.Equals, value))])],
        };
        GoalRules.Normalize(With(new string('k', 300), new string('v', 2000)));
        var error = Rejected(With(new string('k', 301), new string('v', 2001)));
        Assert.Contains("groups[0].conditions[0].filters[0].key", error.Errors.Keys);
        Assert.Contains("groups[0].conditions[0].filters[0].value", error.Errors.Keys);
        Assert.Contains("groups[0].conditions[0].filters[0].key", Rejected(With("", "v")).Errors.Keys);
    }

    [Fact]
    public void NumericOperator_NeedsANumber()
    {
        var draft = new GoalDraft
        {
            Name = "Big order", Type = GoalType.Property,
            Groups = [new ConditionGroup([Condition.ForProperty("order_value", Operator.GreaterThan, "fifty")])],
        };
        Assert.Contains("number", Rejected(draft).Errors["groups[0].conditions[0].value"][0]);
        GoalRules.Normalize(draft with { Groups = [new ConditionGroup([Condition.ForProperty("order_value", Operator.GreaterThan, "49.5")])] });
    }

    [Fact]
    public void ExistsOperator_TakesNoValue()
    {
        var draft = new GoalDraft
        {
            Name = "Has plan", Type = GoalType.Property,
            Groups = [new ConditionGroup([Condition.ForProperty("plan", Operator.Exists, "ignored")])],
        };
        Assert.Null(GoalRules.Normalize(draft).Groups[0].Conditions[0].Value);
    }

    [Fact]
    public void Groups_FourAreAccepted_FiveAreRejected_AndEightConditionsPerGroup()
    {
        var group = new ConditionGroup([Condition.ForEvent("a")]);
        GoalRules.Normalize(EventGoal("a") with { Groups = [group, group, group, group] });
        Assert.Contains("groups", Rejected(EventGoal("a") with { Groups = [group, group, group, group, group] }).Errors.Keys);

        var eight = new ConditionGroup(Enumerable.Repeat(Condition.ForEvent("a"), 8).ToList());
        var nine = new ConditionGroup(Enumerable.Repeat(Condition.ForEvent("a"), 9).ToList());
        GoalRules.Normalize(EventGoal("a") with { Groups = [eight] });
        Assert.Contains("groups[0].conditions", Rejected(EventGoal("a") with { Groups = [nine] }).Errors.Keys);
    }

    [Fact]
    public void Revenue_NeedsARealIso4217Currency_AndUppercasesIt()
    {
        var draft = new GoalDraft
        {
            Name = "Purchase", Type = GoalType.Revenue, Currency = "eur",
            Groups = [new ConditionGroup([Condition.ForEvent("purchase_completed")])],
        };
        Assert.Equal("EUR", GoalRules.Normalize(draft).Currency);
        Assert.Contains("ISO 4217", Rejected(draft with { Currency = "EUX" }).Errors["currency"][0]);
        Assert.Contains("currency", Rejected(draft with { Currency = null }).Errors.Keys);
    }

    [Fact]
    public void Currency_OnANonRevenueGoal_IsRejected()
    {
        Assert.Contains("currency", Rejected(EventGoal("signup") with { Currency = "EUR" }).Errors.Keys);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(365, true)]
    [InlineData(0, false)]
    [InlineData(366, false)]
    public void Window_IsBetween1And365(int amount, bool valid)
    {
        var draft = EventGoal("signup") with { Window = new GoalWindow(amount, WindowUnit.Hours) };
        if (valid)
        {
            Assert.Equal(amount, GoalRules.Normalize(draft).Window!.Amount);
        }
        else
        {
            Assert.Contains("window.amount", Rejected(draft).Errors.Keys);
        }
    }

    [Fact]
    public void EventAnchoredWindow_NeedsAnAnchorEvent()
    {
        var draft = EventGoal("purchase") with { Window = new GoalWindow(7, WindowUnit.Days, WindowAnchor.Event, " ") };
        Assert.Contains("window.anchor_event", Rejected(draft).Errors.Keys);
    }

    [Fact]
    public void TrackedGoal_HasNoConditions()
    {
        var tracked = GoalRules.Normalize(new GoalDraft { Name = "Demo booked", Type = GoalType.Tracked });
        Assert.Empty(tracked.Groups);
        Assert.Contains("groups", Rejected(EventGoal("x") with { Type = GoalType.Tracked }).Errors.Keys);
    }

    [Fact]
    public void PageViewGoal_RefusesEventConditions()
    {
        var draft = new GoalDraft { Name = "Mixed", Type = GoalType.PageView, Groups = [new ConditionGroup([Condition.ForEvent("x")])] };
        Assert.Contains("groups[0].conditions[0].kind", Rejected(draft).Errors.Keys);
    }

    [Fact]
    public void ManyErrors_AreReportedTogether()
    {
        var draft = new GoalDraft
        {
            Name = new string('n', 300), Type = GoalType.Revenue, Currency = "XYZ", TargetRate = 150, DefaultValue = -1,
            Groups = [new ConditionGroup([Condition.ForEvent("engagement")])],
        };
        var keys = Rejected(draft).Errors.Keys;
        Assert.Contains("name", keys);
        Assert.Contains("currency", keys);
        Assert.Contains("target_rate", keys);
        Assert.Contains("default_value", keys);
        Assert.Contains("groups[0].conditions[0].event_name", keys);
    }

    [Fact]
    public void Currencies_IsTheIso4217List()
    {
        Assert.True(Currencies.IsValid("EUR"));
        Assert.True(Currencies.IsValid("JPY"));
        Assert.True(Currencies.IsValid("XAU"));
        Assert.False(Currencies.IsValid("ABC"));
        Assert.False(Currencies.IsValid("eur"));
        Assert.InRange(Currencies.All.Count, 170, 190);
    }
}
