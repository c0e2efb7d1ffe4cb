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

    [Fact]
    public async Task Api_AddsListsAndRemovesNotes_AndRefusesBadOnes()
    {
        using var client = fixture.Factory.ApiClient();
        var text = HttpJson.Unique("Deploy 4.2");
        using var created = await client.PostJsonAsync("/api/v1/annotations", $$"""{"date":"2026-11-20","text":"  {{text}}  "}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = (int)body["id"]!;
        Assert.EndsWith($"/api/v1/annotations/{id}", created.Headers.Location!.ToString());
        Assert.Equal(("2026-11-20", text), ((string)body["date"]!, (string)body["text"]!));
        Assert.False(string.IsNullOrEmpty((string?)body["created_by"]));

        // The default period is the last 90 days up to today (the tests' clock: 1 Dec 2026).
        var listed = (await (await client.GetAsync("/api/v1/annotations")).JsonAsync()).AsArray();
        Assert.Contains(listed, a => (int)a!["id"]! == id);
        Assert.DoesNotContain((await (await client.GetAsync("/api/v1/annotations?from=2026-11-21&to=2026-11-30")).JsonAsync()).AsArray(), a => (int)a!["id"]! == id);

        async Task ExpectAsync(HttpResponseMessage response, params string[] fields)
        {
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(fields.Order(StringComparer.Ordinal), (await response.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        }
        await ExpectAsync(await client.PostJsonAsync("/api/v1/annotations", """{"date":"20 Nov","text":""}"""), "date", "text");
        await ExpectAsync(await client.PostJsonAsync("/api/v1/annotations", """{"text":"x"}"""), "date");
        await ExpectAsync(await client.PostJsonAsync("/api/v1/annotations", $$"""{"date":"2026-11-20","text":"{{new string('n', Annotation.MaxTextLength + 1)}}"}"""), "text");
        await ExpectAsync(await client.GetAsync("/api/v1/annotations?from=2026-12-01&to=2026-11-01"), "from");
        await ExpectAsync(await client.GetAsync("/api/v1/annotations?to=tomorrow"), "to");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/v1/annotations", "[]")).StatusCode);

        using var reader = fixture.Factory.ApiClient(await fixture.Factory.CreateTokenAsync(false, ApiScopes.GoalsRead));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await reader.PostJsonAsync("/api/v1/annotations", """{"date":"2026-11-20","text":"x"}""")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/api/v1/annotations/{id}")).StatusCode);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/annotations/{id}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/annotations/{id}")).StatusCode);
    }
}
