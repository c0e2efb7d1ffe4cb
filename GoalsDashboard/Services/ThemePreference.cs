namespace GoalsDashboard.Services;

/// <summary>The signed-in user's light/dark choice for this circuit; remembered in the browser's local storage.</summary>
public sealed class ThemePreference
{
    public bool IsDarkMode { get; private set; }

    public event Action? Changed;

    public void Set(bool dark)
    {
        if (dark != IsDarkMode)
        {
            IsDarkMode = dark;
            Changed?.Invoke();
        }
    }
}
