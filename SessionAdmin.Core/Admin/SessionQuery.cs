using SessionAdmin.Core.Requests;

namespace SessionAdmin.Core.Admin;

/// <summary>What the console's session list can be sorted by.</summary>
public enum SessionSortField
{
    /// <summary>Creation time.</summary>
    Created,
    /// <summary>Last access.</summary>
    LastAccess,
    /// <summary>Absolute expiry.</summary>
    Expires,
    /// <summary>Idle deadline.</summary>
    IdleDeadline,
    /// <summary>Number of values.</summary>
    ValueCount,
    /// <summary>Size of the values.</summary>
    ValueBytes,
    /// <summary>Session ID.</summary>
    Id,
    /// <summary>Remote IP.</summary>
    RemoteIp,
    /// <summary>User agent.</summary>
    UserAgent,
    /// <summary>Principal (the signed-in user).</summary>
    Principal,
}

/// <summary>One page of the session list: filters, sort and paging, all applied in the store.</summary>
public sealed record SessionQuery
{
    /// <summary>Zero-based page.</summary>
    public int Page { get; init; }
    /// <summary>Rows per page (1–500).</summary>
    public int PageSize { get; init; } = 25;
    /// <summary>Free text: an ID prefix, a key, an IP prefix or part of the user agent.</summary>
    public string? Search { get; init; }
    /// <summary>Sessions of this principal (exact, case-sensitive).</summary>
    public string? Principal { get; init; }
    /// <summary>Sessions whose ID starts with this.</summary>
    public string? IdPrefix { get; init; }
    /// <summary>Sessions holding a value under this key.</summary>
    public string? Key { get; init; }
    /// <summary>Sessions holding a value whose text contains this.</summary>
    public string? ValueText { get; init; }
    /// <summary>Created at or after (UTC).</summary>
    public DateTime? CreatedFrom { get; init; }
    /// <summary>Created before (UTC).</summary>
    public DateTime? CreatedTo { get; init; }
    /// <summary>Last used at or after (UTC).</summary>
    public DateTime? LastAccessFrom { get; init; }
    /// <summary>Last used before (UTC).</summary>
    public DateTime? LastAccessTo { get; init; }
    /// <summary>True: only expired (not yet swept); false: only live; null: both.</summary>
    public bool? Expired { get; init; }
    /// <summary>Sort column.</summary>
    public SessionSortField Sort { get; init; } = SessionSortField.LastAccess;
    /// <summary>Sort direction.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>The filters in words, for the audit log ("user=alice; created from 2026-11-30 10:00"); "all sessions" when none.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is null || value is string { Length: 0 }) return;
            parts.Add(value is DateTime t
                ? $"{name} {t.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)}"
                : $"{name}={value}");
        }
        Add("user", Principal);
        Add("search", Search?.Trim());
        Add("id-prefix", IdPrefix);
        Add("key", Key);
        Add("value", ValueText);
        Add("created from", CreatedFrom);
        Add("created before", CreatedTo);
        Add("last access from", LastAccessFrom);
        Add("last access before", LastAccessTo);
        Add("state", Expired switch { true => "expired", false => "live", null => null });
        return parts.Count == 0 ? "all sessions" : string.Join("; ", parts);
    }
}

/// <summary>A row of the session list.</summary>
public sealed record SessionSummary(
    string Id, DateTime CreatedUtc, DateTime LastAccessUtc, DateTime? ExpiresAtUtc, DateTime? IdleDeadlineUtc,
    string? RemoteIp, string? UserAgent, int ValueCount, long ValueBytes, string? Principal = null)
{
    /// <summary>The ID as the console shows it: "…" and its random tail, enough to tell sessions apart on screen.</summary>
    public string ShortId => SessionIds.Short(Id);

    /// <summary>Its first values as "key=value" (a list page fills it in; empty elsewhere): what an operator scans for.</summary>
    public string Preview { get; init; } = "";
}

/// <summary>A page of sessions and how many match in all (for filtered lists, at most <see cref="SessionCatalog.CountCap"/>).</summary>
public sealed record SessionPage(IReadOnlyList<SessionSummary> Items, int TotalCount)
{
    /// <summary>More than <see cref="SessionCatalog.CountCap"/> sessions match.</summary>
    public bool TotalIsCapped { get; init; }
}

/// <summary>One value or flash as the console shows it.</summary>
public sealed record SessionEntryView(string Key, string TypeName, string Text, bool Immutable, bool FlashRead);

/// <summary>Everything about one session.</summary>
public sealed record SessionDetails(SessionSummary Summary, IReadOnlyList<SessionEntryView> Values, IReadOnlyList<SessionEntryView> Flashes);

/// <summary>The outcome of an operator's edit: done, or refused with the reason.</summary>
public sealed record EditResult(bool Succeeded, string Message)
{
    internal static EditResult Ok(string message) => new(true, message);
    internal static EditResult Refused(string message) => new(false, message);
}

/// <summary>A destroyed session in the console's feed.</summary>
public sealed record DestroyEvent(string SessionId, SessionDestroyReason Reason, DateTime AtUtc, string? Actor)
{
    /// <summary>The session's principal, when it had one.</summary>
    public string? Principal { get; init; }

    /// <summary>The ID as the console shows it ("…" and its random tail).</summary>
    public string ShortId => SessionIds.Short(SessionId);
}

/// <summary>An entry of the operators' audit log.</summary>
public sealed record AuditEntry(DateTime AtUtc, string Actor, string Action, string? SessionHash, string? Detail);
