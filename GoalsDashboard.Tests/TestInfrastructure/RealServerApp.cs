namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// An app of its own on a loopback port, empty (no demo data), for browser tests whose data must not show on
/// the shared demo app's pages. Driven with the collection's browser.
/// </summary>
public sealed class RealServerApp : IAsyncLifetime
{
    public GoalsAppFactory Factory { get; } = new(seedDemo: false, realServer: true);

    public string BaseUrl { get; private set; } = "";

    public Task InitializeAsync()
    {
        BaseUrl = Factory.StartRealServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
