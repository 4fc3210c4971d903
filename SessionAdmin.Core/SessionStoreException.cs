namespace SessionAdmin.Core;

/// <summary>
/// The session store could not be read, or could not make a change durable. Requests that meet it answer 503,
/// and nothing is half-written: the store stays the truth.
/// </summary>
public sealed class SessionStoreException : Exception
{
    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionStoreException(string message, Exception? inner = null) : base(message, inner) { }
}
