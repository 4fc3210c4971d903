using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionAdmin.Core;

/// <summary>Signs and encrypts the cookie value with ASP.NET Core Data Protection.</summary>
public sealed class DataProtectionCookieEncoding : ISessionCookieEncoding
{
    private const string Purpose = "SessionAdmin.Core.SessionCookie.v1";
    private readonly IDataProtectionProvider _provider;

    /// <summary>Creates the encoding over a Data Protection provider.</summary>
    public DataProtectionCookieEncoding(IDataProtectionProvider provider) => _provider = provider;

    /// <inheritdoc />
    public string Encode(string cookieName, string value)
    {
        var bytes = Protector(cookieName).Protect(Encoding.UTF8.GetBytes(value));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <inheritdoc />
    public bool TryDecode(string cookieName, string cookieValue, out string value)
    {
        value = "";
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cookieValue);
            value = Encoding.UTF8.GetString(Protector(cookieName).Unprotect(bytes));
            return value.Length > 0;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    // The cookie name is part of the purpose, so a value minted for one cookie does not decode as another.
    private IDataProtector Protector(string cookieName) => _provider.CreateProtector(Purpose, cookieName);
}
