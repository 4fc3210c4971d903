using SessionAdmin.Core;

namespace SessionAdmin.Web.Components.Console;

/// <summary>How the console names a destroy reason.</summary>
public static class ReasonLabels
{
    public static string For(SessionDestroyReason reason, string? actor) => reason switch
    {
        SessionDestroyReason.Destroyed => "logout",
        SessionDestroyReason.DestroyedByID => actor is null ? "destroyed by ID" : "operator",
        SessionDestroyReason.DestroyedAll => "destroy-all",
        SessionDestroyReason.Expired => "expired",
        SessionDestroyReason.IdleTimeout => "idle",
        SessionDestroyReason.Regenerated => "regenerated",
        _ => reason.ToString(),
    };

    public static MudBlazor.Color Color(SessionDestroyReason reason) => reason switch
    {
        SessionDestroyReason.Expired or SessionDestroyReason.IdleTimeout => MudBlazor.Color.Default,
        SessionDestroyReason.Regenerated => MudBlazor.Color.Info,
        SessionDestroyReason.Destroyed => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Warning,
    };
}
