namespace SessionAdmin.Core;

/// <summary>A session was created or changed, and the change is durable.</summary>
public sealed class SessionChangedEventArgs(string id, bool created, DateTimeOffset at) : EventArgs
{
    /// <summary>The session's ID.</summary>
    public string ID { get; } = id;

    /// <summary>True when the session was just created; false for a change to an existing one.</summary>
    public bool Created { get; } = created;

    /// <summary>When the commit completed.</summary>
    public DateTimeOffset At { get; } = at;
}
