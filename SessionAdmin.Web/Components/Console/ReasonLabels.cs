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
        SessionDestroyReason.SignedOutEverywhere => "signed out everywhere",
        SessionDestroyReason.SessionLimit => "session limit",
        _ => reason.ToString(),
    };

    /// <summary>What a visitor is told about their own session that ended.</summary>
    public static string ForVisitor(SessionDestroyReason reason) => reason switch
    {
        SessionDestroyReason.Destroyed => "You signed out.",
        SessionDestroyReason.DestroyedByID => "An administrator ended your session.",
        SessionDestroyReason.DestroyedAll => "An administrator signed everybody out.",
        SessionDestroyReason.Expired => "Your session reached the end of its lifetime.",
        SessionDestroyReason.IdleTimeout => "Your session ended after a period without activity.",
        SessionDestroyReason.Regenerated => "Your session was renewed on sign-in; the old one no longer works.",
        SessionDestroyReason.SignedOutEverywhere => "You were signed out everywhere: all your sessions were ended.",
        SessionDestroyReason.SessionLimit => "You signed in on more devices than allowed, and this was the least recently used one.",
        _ => "Your session ended.",
    };

    public static MudBlazor.Color Color(SessionDestroyReason reason) => reason switch
    {
        SessionDestroyReason.Expired or SessionDestroyReason.IdleTimeout => MudBlazor.Color.Default,
        SessionDestroyReason.Regenerated => MudBlazor.Color.Info,
        SessionDestroyReason.Destroyed => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Warning,
    };
}
