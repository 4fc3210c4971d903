using System.Globalization;

namespace SessionAdmin.Web.Components.Console;

/// <summary>Times as the console shows them: relative for scanning ("3 min ago"), absolute UTC on hover.</summary>
public static class Times
{
    public static string Absolute(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"3 min ago", "in 2 h", "just now".</summary>
    public static string Relative(DateTime utc, DateTime nowUtc)
    {
        var span = nowUtc - utc;
        var future = span < TimeSpan.Zero;
        if (future) span = span.Negate();
        if (span.TotalSeconds < 30) return "just now";
        var amount = span.TotalMinutes < 60 ? $"{Math.Max(1, (int)span.TotalMinutes)} min"
            : span.TotalHours < 24 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} d";
        return future ? $"in {amount}" : $"{amount} ago";
    }
}
