namespace SessionAdmin.Core;

/// <summary>Why a session was destroyed.</summary>
public enum SessionDestroyReason
{
    /// <summary><see cref="Sessions.Destroy"/> or <see cref="Session.Destroy"/> (a logout).</summary>
    Destroyed,
    /// <summary><see cref="Sessions.DestroyByID"/> (an operator or another component).</summary>
    DestroyedByID,
    /// <summary><see cref="Sessions.DestroyAll"/>.</summary>
    DestroyedAll,
    /// <summary>The absolute lifetime (<see cref="SessionsConfig.Expires"/>) ran out.</summary>
    Expired,
    /// <summary>Not used for <see cref="SessionsConfig.IdleTimeout"/>.</summary>
    IdleTimeout,
    /// <summary><see cref="Sessions.RegenerateID"/> replaced the ID.</summary>
    Regenerated,
    /// <summary><see cref="Sessions.DestroyByPrincipalAsync"/> ended every session of its principal ("sign out everywhere").</summary>
    SignedOutEverywhere,
    /// <summary>Its principal went over <see cref="SessionsConfig.MaxSessionsPerPrincipal"/> and it was the least recently used.</summary>
    SessionLimit,
}
