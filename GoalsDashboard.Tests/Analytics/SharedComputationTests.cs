using GoalsDashboard.Data;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Services;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GoalsDashboard.Tests.Analytics;

/// <summary>Figures shared by concurrent requests are computed once, and each caller keeps its own cancellation.</summary>
public sealed class SharedComputationTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reads;
    private WebApplicationFactoryOf? _gated;

    public async Task InitializeAsync()
    {
        using var client = _factory.ApiClient();
        await client.PostOkAsync("/api/v1/campaigns", """{"name":"Shared","key":"shared","channel":"email"}""");
        await client.PostOkAsync("/api/v1/events", """{"profile_id":"s1","name":"visit","campaign":"shared"}""");
        _gated = new WebApplicationFactoryOf(_factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IAnalyticsStore>(sp => new GatedStore(ActivatorUtilities.CreateInstance<SqlAnalyticsStore>(sp), this)))));
    }

    public async Task DisposeAsync()
    {
        if (_gated is not null)
        {
            await _gated.Factory.DisposeAsync();
        }
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task OneCallerCancelling_DoesNotFailAnotherSharingTheComputation()
    {
        var analytics = _gated!.Factory.Services.GetRequiredService<AnalyticsService>();
        using var leaving = new CancellationTokenSource();
        var first = analytics.AudienceSizesAsync(leaving.Token);
        await _reading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = analytics.AudienceSizesAsync(CancellationToken.None);

        leaving.Cancel(); // the first page closes while the audiences are being read
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        _release.SetResult();
        var sizes = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, sizes.Values.Single());
        Assert.Equal(1, _reads); // computed once, for both
    }

    /// <summary>The app's store, with audiences held back until the test lets them through.</summary>
    private sealed class GatedStore(IAnalyticsStore inner, SharedComputationTests test) : AnalyticsStoreStub
    {
        public override async Task<Dictionary<int, Dictionary<long, long>>> AudiencesAsync(CancellationToken ct = default)
        {
            Interlocked.Increment(ref test._reads);
            test._reading.TrySetResult();
            await test._release.Task.WaitAsync(ct);
            return await inner.AudiencesAsync(ct);
        }

        public override Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default) =>
            inner.ScanActivityAsync(startMs, endMs, site, channel, visit, ct);

        public override Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default) => inner.ScanFirstSeenAsync(visit, ct);

        public override Task ScanEventsByIdAsync(long fromId, long toId, Action<ActivityFact> visit, CancellationToken ct = default) =>
            inner.ScanEventsByIdAsync(fromId, toId, visit, ct);
    }

    /// <summary>Holds the derived factory (its type is the framework's, not ours).</summary>
    private sealed record WebApplicationFactoryOf(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Factory);
}
