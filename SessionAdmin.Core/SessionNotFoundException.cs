namespace SessionAdmin.Core;

/// <summary>The request has no live session (Iris <c>ErrNotFound</c>).</summary>
public sealed class SessionNotFoundException : Exception
{
    /// <summary>Creates the exception with Iris's message.</summary>
    public SessionNotFoundException() : base("session not found") { }

    /// <summary>Creates the exception with a message.</summary>
    public SessionNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionNotFoundException(string message, Exception inner) : base(message, inner) { }
}
