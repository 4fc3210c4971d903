using Microsoft.Extensions.Options;

namespace SessionAdmin.Core;

/// <summary>
/// What a <see cref="SessionsConfig"/> must hold, checked when the app starts (<c>ValidateOnStart</c>) and in
/// <c>new Sessions(config)</c>: a wrong value stops the start with one message naming the key and what is accepted,
/// never a quiet correction.
/// </summary>
public sealed class SessionsConfigRules : IValidateOptions<SessionsConfig>
{
    // The characters RFC 6265 allows in a cookie name (an HTTP token).
    private const string CookieNameCharacters = "!#$%&'*+-.^_`|~";

    /// <summary>Every problem of <paramref name="config"/>, one sentence each; empty when it is usable.</summary>
    public static IReadOnlyList<string> Problems(SessionsConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        if (!config.CookieName.All(c => char.IsAsciiLetterOrDigit(c) || CookieNameCharacters.Contains(c)))
            problems.Add($"Sessions:Cookie must be a cookie name (ASCII letters, digits and {CookieNameCharacters}), not '{config.Cookie}'.");
        if (config.IdleTimeout < TimeSpan.Zero)
            problems.Add($"Sessions:IdleTimeout must be 00:00:00 (off) or a positive time span, not {config.IdleTimeout}.");
        if (config.SweepInterval <= TimeSpan.Zero)
            problems.Add($"Sessions:SweepInterval must be a positive time span (default 00:00:30), not {config.SweepInterval}.");
        if (config.CommitTimeout <= TimeSpan.Zero)
            problems.Add($"Sessions:CommitTimeout must be a positive time span (default 00:00:10), not {config.CommitTimeout}.");
        if (config.CacheCapacity < 1)
            problems.Add($"Sessions:CacheCapacity must be at least 1 session (default 20000), not {config.CacheCapacity}.");
        if (config.MaxValueLength < 1)
            problems.Add($"Sessions:MaxValueLength must be at least 1 character (default 65536), not {config.MaxValueLength}.");
        if (config.MaxSessionsPerPrincipal < 0)
            problems.Add($"Sessions:MaxSessionsPerPrincipal must be 0 (no limit) or a positive number of sessions, not {config.MaxSessionsPerPrincipal}.");
        var key = config.PrincipalKey is { Length: > 0 } k ? k : null;
        if (key is not null && Session.KeyProblem(key) is { } problem)
            problems.Add($"Sessions:PrincipalKey is not a usable session key: {problem}");
        if (config.MaxSessionsPerPrincipal > 0 && key is null)
            problems.Add("Sessions:MaxSessionsPerPrincipal needs Sessions:PrincipalKey: without a principal there is nothing to count.");
        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> with the first problem of <paramref name="config"/>, if any.</summary>
    public static void ThrowIfInvalid(SessionsConfig config)
    {
        if (Problems(config) is [var first, ..]) throw new ArgumentException(first);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SessionsConfig options) =>
        Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
