using MudBlazor;

namespace GoalsDashboard.Components.Layout;

public static class GoalsTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            // Text in these colours (chips, captions, outlined buttons) reaches WCAG AA (4.5:1) on the light surfaces.
            Primary = "#4f46e5",
            Secondary = "#0369a1",
            Tertiary = "#0f766e",
            Success = "#166534",
            Warning = "#b45309",
            Error = "#dc2626",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2937",
            Background = "#f6f7fb",
            DrawerBackground = "#ffffff",
            DrawerText = "#374151",
            DrawerIcon = "#6b7280",
            TextPrimary = "#111827",
            TextSecondary = "#6b7280",
            LinesDefault = "#e5e7eb",
            TableLines = "#eef0f4",
        },
        PaletteDark = new PaletteDark
        {
            // Light colours on a dark background: text on a filled one is dark, as white on them would not read.
            Primary = "#818cf8",
            PrimaryContrastText = "#0f131b",
            SecondaryContrastText = "#0f131b",
            TertiaryContrastText = "#0f131b",
            SuccessContrastText = "#0f131b",
            WarningContrastText = "#0f131b",
            ErrorContrastText = "#0f131b",
            Secondary = "#38bdf8",
            Tertiary = "#2dd4bf",
            Success = "#4ade80",
            Warning = "#fbbf24",
            Error = "#f87171",
            AppbarBackground = "#161b26",
            Background = "#0f131b",
            Surface = "#161b26",
            DrawerBackground = "#161b26",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px", DrawerWidthLeft = "232px" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
            H4 = new H4Typography { FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H6 = new H6Typography { FontWeight = "600" },
        },
    };
}
