using System.Diagnostics;
using SessionAdmin.Core.Admin;

namespace SessionAdmin.Web.Components.Console;

/// <summary>
/// One query per distinct view of the sessions list, shared by every tab that shows it. Live events make each open
/// grid reload; without sharing, ten operators on the sessions page during a login storm ran ten queries per event
/// burst against the store and took CPU from the logins themselves. A caller says from when on the page must be
/// (a live refresh: its first unseen event); a query started since then, finished or in flight, is shared.
/// </summary>
public sealed class SharedSessionPages(SessionCatalog catalog)
{
    private const int MaxViews = 256;
    private sealed record Entry(Task<SessionPage> Page, long StartedAt);

    private readonly Lock _gate = new();
    private readonly Dictionary<SessionQuery, Entry> _views = [];

    /// <summary>
    /// The page for <paramref name="query"/> from a query started at or after <paramref name="notBefore"/> (a
    /// <see cref="Stopwatch"/> timestamp: the first event the caller has not seen, or now for a fresh page).
    /// </summary>
    public Task<SessionPage> GetAsync(SessionQuery query, long notBefore, CancellationToken cancellationToken)
    {
        Task<SessionPage> page;
        lock (_gate)
        {
            if (_views.TryGetValue(query, out var entry) && !entry.Page.IsFaulted && !entry.Page.IsCanceled && entry.StartedAt >= notBefore)
            {
                page = entry.Page;
            }
            else
            {
                if (_views.Count >= MaxViews) Forget(TimeSpan.FromSeconds(10));
                // Not the caller's token: others may be waiting for the same query.
                page = catalog.QueryAsync(query, CancellationToken.None);
                _views[query] = new Entry(page, Stopwatch.GetTimestamp());
            }
        }
        return page.WaitAsync(cancellationToken);
    }

    private void Forget(TimeSpan olderThan)
    {
        foreach (var (query, entry) in _views.ToList())
        {
            if (entry.Page.IsCompleted && Stopwatch.GetElapsedTime(entry.StartedAt) > olderThan) _views.Remove(query);
        }
        if (_views.Count >= MaxViews) _views.Clear();
    }
}
