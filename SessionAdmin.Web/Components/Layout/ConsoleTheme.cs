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
        PaletteDark = new PaletteDark { Primary = "#7986cb" },
    };
}
