using MudBlazor;

namespace SessionAdmin.Web.Components.Layout;

/// <summary>The console's colours, light and dark.</summary>
internal static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        // Status colours dark enough for WCAG AA as text on white (outlined reason chips) and under white text (filled).
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5", AppbarBackground = "#3f51b5",
            Success = "#1b5e20", Info = "#0d47a1", Warning = "#8a4b00", Error = "#b71c1c",
        },
        // Dark: light tints, so links, chips and outlined buttons keep 4.5:1 on the dark surfaces; filled ones get dark text.
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da", PrimaryContrastText = "#10132a",
            Success = "#81c784", SuccessContrastText = "#0b2e0d", Info = "#90caf9", InfoContrastText = "#0a2540",
            Warning = "#ffb74d", WarningContrastText = "#2e1a00", Error = "#ff8a80", ErrorContrastText = "#2d0000",
            TextSecondary = "rgba(255,255,255,0.72)",
        },
    };
}
