using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// Base class of component tests: MudBlazor's services and loose JS interop. xunit 2 disposes test
/// classes synchronously while MudBlazor's services are async-disposable, hence IAsyncLifetime.
/// </summary>
public abstract class MudComponentTest : IAsyncLifetime
{
    // bUnit's default wait is one second. At the start of a run, with test collections running side by side while
    // the runtime is still compiling, a wizard step was seen rendering eight times within that second without its
    // check being run once; the conditions waited for are unchanged, only how long they may take to become true.
    static MudComponentTest() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected MudComponentTest()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
    }

    protected BunitContext Context { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Renders the component beside a popover provider, which MudBlazor's selects, menus and autocompletes need.</summary>
    protected IRenderedComponent<T> RenderWithPopovers<T>(params (string Name, object? Value)[] parameters)
        where T : IComponent
    {
        var host = Context.Render<ContainerFragment>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<T>(1);
            foreach (var (name, value) in parameters)
            {
                b.AddAttribute(2, name, value);
            }
            b.CloseComponent();
        }));
        return host.FindComponent<T>();
    }

    public async Task DisposeAsync() => await Context.DisposeAsync();
}

/// <summary>Renders arbitrary child content, so a test can put providers beside the component under test.</summary>
public sealed class ContainerFragment : ComponentBase
{
    [Parameter] public RenderFragment? ChildContent { get; set; }

    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
}
