using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionAdmin.Core;

/// <summary>Creating, checking and hashing session IDs.</summary>
internal static class SessionIds
{
    /// <summary>Longest ID accepted from a generator or a cookie.</summary>
    public const int MaxLength = 128;

    // The base64url characters in ASCII order, so that a prefix written with them sorts as its number does.
    private const string SortedAlphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// 32 URL- and cookie-safe characters: the creation time in milliseconds (8 characters, sorting in time order),
    /// then 144 bits from the OS CSPRNG (24 characters of base64url). New IDs land at the end of every index keyed by
    /// the ID, so a storm of logins dirties a few pages per commit instead of a random page per session and index.
    /// </summary>
    public static string NewId(DateTimeOffset now)
    {
        Span<char> id = stackalloc char[32];
        var millis = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 7; i >= 0; i--, millis >>= 6) id[i] = SortedAlphabet[(int)(millis & 63)];
        Span<byte> random = stackalloc byte[18];
        RandomNumberGenerator.Fill(random);
        WebEncoders.Base64UrlEncode(random, id[8..]);
        return new string(id);
    }

    /// <summary>
    /// The ID as the console shows it: its last 8 characters (the random part; the first 8 are the creation time,
    /// shared by every session of the same millisecond).
    /// </summary>
    public static string Short(string id) => id.Length <= 8 ? id : "…" + id[^8..];

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
