using GoalsDashboard.Analytics;
using GoalsDashboard.Components.Analytics;
using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Annotations;

/// <summary>Notes on days: stored on both stores, read by period, checked, removed; and placed on a chart's buckets.</summary>
public class AnnotationTests(EmptyAppFixture fixture) : IClassFixture<EmptyAppFixture>
{
    private AnnotationService Service => fixture.Factory.Services.GetRequiredService<AnnotationService>();

    [Fact]
    public async Task Notes_AreReadByPeriod_InDayOrder_AndRemoved()
    {
        var text = HttpJson.Unique("Launch");
        var later = await Service.AddAsync(new DateOnly(2025, 3, 12), $"  {text} B  ", "editor@test.local");
        var earlier = await Service.AddAsync(new DateOnly(2025, 3, 10), $"{text} A", "editor@test.local");
        await Service.AddAsync(new DateOnly(2025, 4, 1), $"{text} outside", "editor@test.local");

        var march = (await Service.ListAsync(new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 12))).Where(a => a.Text.StartsWith(text, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{text} A", $"{text} B"], march.Select(a => a.Text));
        Assert.Equal(("editor@test.local", new DateOnly(2025, 3, 12)), (later.CreatedBy, later.Date));

        Assert.True(await Service.DeleteAsync(earlier.Id));
        Assert.False(await Service.DeleteAsync(earlier.Id));
        Assert.DoesNotContain(await Service.ListAsync(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)), a => a.Id == earlier.Id);
    }

    [Fact]
    public async Task BadNotes_AreRefused_NamingTheField_AndNothingIsStored()
    {
        var day = new DateOnly(2025, 6, 1);
        var before = (await Service.ListAsync(day.AddYears(-30), day.AddYears(30))).Count;
        Assert.Equal(["text"], (await Assert.ThrowsAsync<DomainValidationException>(() => Service.AddAsync(day, "   ", "x"))).Errors.Keys);
        Assert.Equal(["text"], (await Assert.ThrowsAsync<DomainValidationException>(() => Service.AddAsync(day, new string('n', Annotation.MaxTextLength + 1), "x"))).Errors.Keys);
        Assert.Equal(["date"], (await Assert.ThrowsAsync<DomainValidationException>(() => Service.AddAsync(new DateOnly(1900, 1, 1), "Old", "x"))).Errors.Keys);
        Assert.Equal(before, (await Service.ListAsync(day.AddYears(-30), day.AddYears(30))).Count);
    }

    [Fact]
    public void Marks_PutEachNoteOnTheBucketHoldingItsDay_OneLinePerBucket()
    {
        Annotation Note(int day, string text) => new() { Date = new DateOnly(2026, 3, day), Text = text };
        // Weeks starting 2, 9 and 16 March; the period starts on Monday 2 March.
        IReadOnlyList<DateOnly> weeks = [new(2026, 3, 2), new(2026, 3, 9), new(2026, 3, 16)];
        var marks = ChartNotes.Marks([Note(4, "Launch"), Note(8, "Mail"), Note(17, "Webinar")], weeks, TrendInterval.Week)
            .Select(m => System.Text.Json.JsonSerializer.SerializeToElement(m)).ToList();
        Assert.Equal(["2 Mar", "16 Mar"], marks.Select(m => m.GetProperty("x").GetString()));
        Assert.Equal(["Launch; Mail", "Webinar"], marks.Select(m => m.GetProperty("label").GetProperty("text").GetString()));
        Assert.Empty(ChartNotes.Marks([Note(4, "Launch")], [], TrendInterval.Day));
        var longText = new string('x', 60);
        Assert.Equal(40, System.Text.Json.JsonSerializer.SerializeToElement(ChartNotes.Marks([Note(4, longText)], weeks, TrendInterval.Week).Single())
            .GetProperty("label").GetProperty("text").GetString()!.Length);
    }
}
