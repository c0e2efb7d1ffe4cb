namespace GoalsDashboard.Tests.TestInfrastructure;

/// <summary>
/// The app's clock for tests whose data carry fixed dates: "now" is always <see cref="Today"/>'s noon, so a dated
/// event is never in the future of the machine running the test. Timers still run on real time.
/// </summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The tests' today: after every fixed date their data carry.</summary>
    public static readonly DateTimeOffset Today = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public FixedClock()
        : this(Today)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
