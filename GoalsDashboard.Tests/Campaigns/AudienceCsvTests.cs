using GoalsDashboard.Services;

namespace GoalsDashboard.Tests.Campaigns;

public class AudienceCsvTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-01T12:00:00Z");

    [Fact]
    public void ReadsProfilesAndEntryTimes_ByHeaderName_WithQuotedFields()
    {
        var file = AudienceCsv.Parse("email,entered_at,profile_id\r\nx@y.z,2026-03-01T10:00:00+01:00,p-1\r\n\"a,b\",,\"p \"\"2\"\"\"\r\n", Now);
        Assert.Null(file.Problem);
        Assert.Equal(2, file.Rows.Count);
        Assert.Equal(("p-1", DateTimeOffset.Parse("2026-03-01T09:00:00Z")), (file.Rows[0].ProfileId, file.Rows[0].EnteredAt!.Value));
        Assert.Equal("p \"2\"", file.Rows[1].ProfileId);
        Assert.Null(file.Rows[1].EnteredAt);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void NamesEachBadLine_ByItsLineNumberInTheFile()
    {
        var file = AudienceCsv.Parse("profile_id,entered_at\nok,2026-01-01\n,2026-01-01\nok-2,someday\n\nok-3,2027-01-01T00:00:00Z\n", Now);
        Assert.Equal([(3, "The profile id is empty."), (4, null), (6, "The entry time is in the future.")],
            file.Errors.Select(r => (r.Line, r.Line == 4 ? null : r.Error)));
        Assert.Contains("someday", file.Errors.Single(r => r.Line == 4).Error);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), file.Rows[0].EnteredAt);
    }

    [Theory]
    [InlineData("id,when\np-1,2026-01-01\n", "profile_id")]
    [InlineData("profile_id\n", "no profiles")]
    [InlineData("", "profile_id")]
    public void AFileThatCannotBeRead_SaysWhy(string text, string expected)
    {
        var file = AudienceCsv.Parse(text, Now);
        Assert.Contains(expected, file.Problem);
        Assert.Empty(file.Rows);
    }
}
