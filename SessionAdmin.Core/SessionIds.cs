using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionAdmin.Core;

/// <summary>Creating, checking and hashing session IDs.</summary>
internal static class SessionIds
{
    /// <summary>Longest ID accepted from a generator or a cookie.</summary>
    public const int MaxLength = 128;

    /// <summary>192 bits from the OS CSPRNG, base64url: 32 URL- and cookie-safe characters.</summary>
    public static string NewId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    /// <summary>Non-empty, not too long, and only RFC 6265 cookie-octets (no space, quote, comma, semicolon, backslash).</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength) return false;
        foreach (var c in id)
        {
            if (c < 0x21 || c > 0x7E || c is '"' or ',' or ';' or '\\') return false;
        }
        return true;
    }

    /// <summary>A short, stable hash for logs: an ID never appears in a log in full.</summary>
    public static string Hash(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return Convert.ToHexStringLower(digest[..6]);
    }
}
