namespace SessionAdmin.Web;

/// <summary>
/// A short, human name for a user agent ("Firefox on Windows", "Safari on iPhone"): what a person recognises as their
/// device. The full string stays in the session's details.
/// </summary>
public static class DeviceNames
{
    // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", every Android browser says "Linux".
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome", "Headless Chrome"),
        ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("curl/", "curl"), ("Wget/", "Wget"),
        ("python-requests", "Python"), ("Go-http-client", "Go"), ("okhttp", "OkHttp"), ("bot", "Bot"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ];

    /// <summary>"Browser on system", the browser or system alone when only one is known, or "Unknown device".</summary>
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Unknown device";
        var browser = Find(Browsers, userAgent);
        var system = Find(Systems, userAgent);
        return (browser, system) switch
        {
            (not null, not null) => $"{browser} on {system}",
            (not null, null) => browser,
            (null, not null) => system,
            _ => userAgent.Length > 24 ? userAgent[..24] + "…" : userAgent,
        };
    }

    private static string? Find((string Token, string Name)[] table, string userAgent)
    {
        foreach (var (token, name) in table)
        {
            if (userAgent.Contains(token, StringComparison.OrdinalIgnoreCase)) return name;
        }
        return null;
    }
}
