using System.Globalization;

namespace SessionAdmin.Core.Admin;

/// <summary>CSV fields (RFC 4180) that a spreadsheet cannot run: user agents and user names come from visitors.</summary>
internal static class Csv
{
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        // OWASP CSV injection: a leading = + - @ tab or CR makes a formula in Excel and LibreOffice.
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
