using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;

namespace GoalsDashboard.Tests.Evaluation;

public class MatchingTests
{
    [Theory]
    [InlineData("/pricing", "/pricing", true)]
    [InlineData("/pricing", "/pricing/", false)]
    [InlineData("/pricing", "/Pricing", false)]
    [InlineData("/pricing", "/pricing?plan=pro", true)]
    [InlineData("/pricing", "/pricing#faq", true)]
    [InlineData("/blog/*", "/blog/", true)]
    [InlineData("/blog/*", "/blog/x", true)]
    [InlineData("/blog/*", "/blog", false)]
    [InlineData("/blog/*", "/blog/x/y", false)]
    [InlineData("/docs/**", "/docs/", true)]
    [InlineData("/docs/**", "/docs/a/b", true)]
    [InlineData("/docs/**", "/docs", false)]
    [InlineData("/a.b", "/aXb", false)]
    [InlineData("/shop/*/checkout", "/shop/42/checkout", true)]
    public void PathPatterns(string pattern, string path, bool expected) => Assert.Equal(expected, PathPattern.IsMatch(pattern, path));

    public static TheoryData<PropertyValue, Operator, string?, bool> Values => new()
    {
        { PropertyValue.Number(3), Operator.Equals, "3.0", true },
        { PropertyValue.String("3"), Operator.Equals, "3.0", true },
        { PropertyValue.String("10"), Operator.GreaterThan, "9", true },
        { PropertyValue.String("abc"), Operator.GreaterThan, "1", false },
        { PropertyValue.Number(5), Operator.LessOrEqual, "5", true },
        { PropertyValue.String("Pro"), Operator.Equals, "pro", false },
        { PropertyValue.String("Pro Plan"), Operator.Contains, "pro", true },
        { PropertyValue.String("Pro Plan"), Operator.NotContains, "PLAN", false },
        { PropertyValue.String("Pro Plan"), Operator.StartsWith, "pro", false },
        { PropertyValue.String("Pro Plan"), Operator.StartsWith, "Pro", true },
        { PropertyValue.Bool(true), Operator.Equals, "true", true },
        { PropertyValue.Bool(true), Operator.GreaterThan, "0", false },
        { PropertyValue.Null, Operator.NotEquals, "pro", false },
        { PropertyValue.Null, Operator.NotContains, "pro", false },
        { PropertyValue.Null, Operator.NotExists, null, true },
        { PropertyValue.Null, Operator.Exists, null, false },
        { PropertyValue.String(""), Operator.Exists, null, true },
        { PropertyValue.String("basic"), Operator.NotEquals, "pro", true },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ValueRules(PropertyValue actual, Operator op, string? expected, bool result) =>
        Assert.Equal(result, ValueMatcher.Matches(actual, op, expected));
}
