using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionAdmin.Core.Requests;

/// <summary>Creating, checking and hashing session IDs.</summary>
internal static class SessionIds
{
    /// <summary>Longest ID accepted from a generator or a cookie.</summary>
    public const int MaxLength = 128;

    // The base64url characters in ASCII order, so that a prefix written with them sorts as its number does.
    private const string SortedAlphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private const int RandomBytesPerId = 18;
    private const int RandomBufferBytes = RandomBytesPerId * 56;  // about a kilobyte: 56 IDs per draw

    // CSPRNG bytes drawn a kilobyte at a time per thread: each call into the OS generator costs system calls (OpenSSL
    // checks its process ID on every draw), which showed as 3 % of a login storm's CPU. The bytes are used once.
    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_randomLeft;

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
        WebEncoders.Base64UrlEncode(TakeRandomBytes(), id[8..]);
        return new string(id);
    }

    private static ReadOnlySpan<byte> TakeRandomBytes()
    {
        var buffer = t_random ??= new byte[RandomBufferBytes];
        if (t_randomLeft < RandomBytesPerId)
        {
            RandomNumberGenerator.Fill(buffer);
            t_randomLeft = buffer.Length;
        }
        var taken = buffer.AsSpan(buffer.Length - t_randomLeft, RandomBytesPerId);
        t_randomLeft -= RandomBytesPerId;
        return taken;
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
