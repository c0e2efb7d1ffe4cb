using Bunit;
using MudBlazor.Services;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// Base class of component tests: MudBlazor's services and loose JS interop. xunit 2 disposes test
/// classes synchronously while MudBlazor's services are async-disposable, hence IAsyncLifetime.
/// </summary>
public abstract class MudComponentTest : IAsyncLifetime
{
    protected MudComponentTest()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
    }

    protected BunitContext Context { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
