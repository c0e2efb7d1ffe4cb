using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// Events have no index by time or by name (each cost about a sixth of ingestion's rate, docs/benchmarks.md);
/// the names that suggestions list are kept as they arrive instead.
/// </summary>
public class EventNamesTests
{
    [Fact]
    public async Task Suggestions_ListEveryNameStored_ButPageViews_AndTheLatestPaths()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var store = factory.Services.GetRequiredService<IEventStore>();
        var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        IncomingEvent Event(int i, string name, string? path = null) =>
            new($"n{i}", $"names-p{i % 3}", name, t0.AddMinutes(i), null, path, null, null, null, null, null);
        await store.IngestEventsAsync([Event(1, "signup"), Event(2, TrackedEvent.PageViewName, "/pricing?x=1"), Event(3, "purchase")], t0);
        await store.IngestEventsAsync([Event(4, "purchase"), Event(5, "trial started"), Event(6, TrackedEvent.PageViewName, "/docs")], t0);

        var suggestions = await factory.Services.GetRequiredService<SuggestionService>().GetAsync();

        Assert.Equal(["purchase", "signup", "trial started"], suggestions.EventNames);
        Assert.Equal(["/docs", "/pricing"], suggestions.Paths.Order(StringComparer.Ordinal));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(4, await db.EventNames.CountAsync()); // each name once, page views included
    }

    [Fact]
    public async Task Events_AreNotIndexedByTimeOrName()
    {
        await using var factory = new GoalsAppFactory();
        _ = factory.Server;
        var indexes = await factory.QueryAsync(db => Task.FromResult(db.Model.FindEntityType(typeof(TrackedEvent))!.GetIndexes().ToList()));
        Assert.NotEmpty(indexes);
        Assert.DoesNotContain(indexes, index => index.Properties[0].Name is nameof(TrackedEvent.Timestamp) or nameof(TrackedEvent.Name));
    }
}
