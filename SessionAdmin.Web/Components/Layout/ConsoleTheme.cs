using MudBlazor;

namespace SessionAdmin.Web.Components.Layout;

/// <summary>The console's colours, light and dark.</summary>
internal static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#3f51b5", AppbarBackground = "#3f51b5" },
        PaletteDark = new PaletteDark { Primary = "#7986cb" },
    };
}
