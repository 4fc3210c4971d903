namespace SessionAdmin.Core;

/// <summary>Raised once per session after its removal is durable.</summary>
public sealed class SessionDestroyedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SessionDestroyedEventArgs(string id, SessionDestroyReason reason, DateTimeOffset at, string? actor = null, string? principal = null)
    {
        Principal = principal;
        ID = id;
        Reason = reason;
        At = at;
        Actor = actor;
    }

    /// <summary>The destroyed session's ID.</summary>
    public string ID { get; }

    /// <summary>Why it was destroyed.</summary>
    public SessionDestroyReason Reason { get; }

    /// <summary>When the removal became durable.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The operator who destroyed it from the console, when there was one.</summary>
    public string? Actor { get; }

    /// <summary>The session's principal (see <see cref="SessionsConfig.PrincipalKey"/>), when the store knew it.</summary>
    public string? Principal { get; }
}
