using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using SessionAdmin.Core.Admin;

namespace SessionAdmin.Web.Components.Console;

/// <summary>A session filter as URL query parameters: the grid's filter travels to the CSV export this way.</summary>
public static class SessionQueryParameters
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The query string (with its '?') for <paramref name="q"/>; paging is left out.</summary>
    public static string ToQueryString(SessionQuery q)
    {
        var args = new Dictionary<string, string?>
        {
            ["search"] = q.Search,
            ["user"] = q.Principal,
            ["state"] = q.Expired switch { true => "expired", false => "live", null => "all" },
            ["createdFrom"] = Time(q.CreatedFrom),
            ["createdTo"] = Time(q.CreatedTo),
            ["lastAccessFrom"] = Time(q.LastAccessFrom),
            ["lastAccessTo"] = Time(q.LastAccessTo),
            ["sort"] = q.Sort.ToString(),
            ["desc"] = q.Descending ? "true" : "false",
        };
        return QueryHelpers.AddQueryString("", args.Where(a => !string.IsNullOrEmpty(a.Value)));
    }

    /// <summary>Reads a filter back; false with the reason when a parameter does not parse.</summary>
    public static bool TryParse(IQueryCollection query, out SessionQuery result, out string error)
    {
        result = new SessionQuery();
        error = "";
        DateTime? created0 = null, created1 = null, last0 = null, last1 = null;
        foreach (var (name, target) in new (string, Action<DateTime>)[]
                 {
                     ("createdFrom", t => created0 = t), ("createdTo", t => created1 = t),
                     ("lastAccessFrom", t => last0 = t), ("lastAccessTo", t => last1 = t),
                 })
        {
            if (query[name].ToString() is not { Length: > 0 } text) continue;
            if (!DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            {
                error = $"{name} must be a UTC time like 2026-11-30T10:00:00Z.";
                return false;
            }
            target(t);
        }
        bool? expired;
        switch (query["state"].ToString())
        {
            case "" or "live": expired = false; break;
            case "expired": expired = true; break;
            case "all": expired = null; break;
            case var other:
                error = $"state must be live, expired or all, not '{other}'.";
                return false;
        }
        var sort = SessionSortField.LastAccess;
        if (query["sort"].ToString() is { Length: > 0 } sortText && !Enum.TryParse(sortText, ignoreCase: true, out sort))
        {
            error = $"sort must be one of {string.Join(", ", Enum.GetNames<SessionSortField>())}.";
            return false;
        }
        result = new SessionQuery
        {
            Search = Text(query["search"]),
            Principal = Text(query["user"]),
            Expired = expired,
            CreatedFrom = created0,
            CreatedTo = created1,
            LastAccessFrom = last0,
            LastAccessTo = last1,
            Sort = sort,
            Descending = query["desc"].ToString() != "false",
        };
        return true;
    }

    private static string? Time(DateTime? t) => t?.ToString(TimeFormat, CultureInfo.InvariantCulture);
    private static string? Text(Microsoft.Extensions.Primitives.StringValues v) => v.ToString() is { Length: > 0 } s ? s : null;
}
