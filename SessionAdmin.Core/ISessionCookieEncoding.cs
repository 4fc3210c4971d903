namespace SessionAdmin.Core;

/// <summary>Encodes the session ID into the cookie value and back (Iris <c>Encoding</c>).</summary>
public interface ISessionCookieEncoding
{
    /// <summary>Returns the cookie value that carries <paramref name="value"/>.</summary>
    string Encode(string cookieName, string value);

    /// <summary>Recovers the session ID from a cookie value; false when it was tampered with or is malformed.</summary>
    bool TryDecode(string cookieName, string cookieValue, out string value);
}
