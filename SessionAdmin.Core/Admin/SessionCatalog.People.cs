using Microsoft.EntityFrameworkCore;

namespace SessionAdmin.Core.Admin;

// The people behind the sessions, and the operations on many sessions at once: a user's sessions, sign out
// everywhere, bulk destroys (a selection or everything a filter matches) and the CSV export.
public sealed partial class SessionCatalog
{
    // Bulk destroys go to the writer in batches this size: one transaction each, requests commit in between.
    private const int DestroyBatchSize = 250;

    /// <summary>
    /// One page of principals with their session count, last activity and distinct IPs. Served by the principal index
    /// alone; counts include sessions that expired since the last sweep (at most one sweep interval).
    /// </summary>
    public async Task<PrincipalPage> UsersAsync(PrincipalQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = Store.CreateContext();
        var rows = db.Sessions.AsNoTracking().Where(s => s.Principal != null);
        if (!string.IsNullOrEmpty(query.Search))
        {
            var from = query.Search;
            // On SQLite a prefix is a range of the index (its LIKE ignores case, so it cannot use one): 58 ms -> 1 ms at
            // a million. Its text compares as UTF-8 bytes, and U+10FFFF sorts after every character. PostgreSQL
            // compares by collation, where that bound means nothing: it gets StartsWith.
            var to = from + char.ConvertFromUtf32(0x10FFFF);
            rows = db.Database.IsSqlite()
                ? rows.Where(s => string.Compare(s.Principal, from) >= 0 && string.Compare(s.Principal, to) < 0)
                : rows.Where(s => s.Principal!.StartsWith(from));
        }
        var total = await rows.Select(s => s.Principal).Distinct().Take(CountCap + 1).CountAsync(cancellationToken).ConfigureAwait(false);
        var groups = rows.GroupBy(s => s.Principal!).Select(g => new
        {
            Principal = g.Key,
            Count = g.Count(),
            Last = g.Max(s => s.LastAccessTicks),
            Ips = g.Select(s => s.RemoteIp).Distinct().Count(),
        });
        var d = query.Descending;
        groups = query.Sort switch
        {
            PrincipalSortField.SessionCount => d ? groups.OrderByDescending(g => g.Count).ThenBy(g => g.Principal) : groups.OrderBy(g => g.Count).ThenBy(g => g.Principal),
            PrincipalSortField.LastActivity => d ? groups.OrderByDescending(g => g.Last).ThenBy(g => g.Principal) : groups.OrderBy(g => g.Last).ThenBy(g => g.Principal),
            PrincipalSortField.DistinctIps => d ? groups.OrderByDescending(g => g.Ips).ThenBy(g => g.Principal) : groups.OrderBy(g => g.Ips).ThenBy(g => g.Principal),
            _ => d ? groups.OrderByDescending(g => g.Principal) : groups.OrderBy(g => g.Principal),
        };
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = await groups.Skip(Math.Max(0, query.Page) * size).Take(size).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new PrincipalPage(page.Select(g => new PrincipalSummary(g.Principal, g.Count, Utc(g.Last), g.Ips)).ToList(), Math.Min(total, CountCap))
        {
            TotalIsCapped = total > CountCap,
        };
    }

    /// <summary>The live sessions of <paramref name="principal"/>, most recently used first (see <see cref="Sessions.FindByPrincipalAsync"/>).</summary>
    public async Task<IReadOnlyList<SessionSummary>> SessionsOfAsync(string principal, CancellationToken cancellationToken = default)
    {
        var ids = await sessions.FindByPrincipalAsync(principal, cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0) return [];
        await using var db = Store.CreateContext();
        var rows = await db.Sessions.AsNoTracking().Where(s => s.Principal == principal).Select(SummaryOf)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    /// <summary>
    /// Ends every live session of <paramref name="principal"/> ("sign out everywhere"), or all but the most recently used
    /// one; audited with the count.
    /// </summary>
    public async Task<int> SignOutEverywhereAsync(ConsoleOperator actor, string principal, bool keepMostRecent = false,
        CancellationToken cancellationToken = default)
    {
        actor.DemandEdit();
        string? keep = null;
        if (keepMostRecent)
        {
            var ids = await sessions.FindByPrincipalAsync(principal, cancellationToken).ConfigureAwait(false);
            keep = ids.Count > 0 ? ids[0] : null;
        }
        var count = await sessions.DestroyByPrincipalAsync(principal, keep, actor.Name, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, keepMostRecent ? "sign-out-others" : "sign-out-everywhere", null, $"user={principal}: {count} sessions").ConfigureAwait(false);
        return count;
    }

    /// <summary>How many sessions <paramref name="query"/> matches, exactly (the confirmation before a bulk destroy).</summary>
    public async Task<int> CountMatchingAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = Store.CreateContext();
        return await Filter(db.Sessions.AsNoTracking(), query, UtcNow.Ticks).CountAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Destroys the sessions an operator selected; returns how many were live. Audited with the count.</summary>
    public async Task<int> DestroySelectedAsync(ConsoleOperator actor, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        actor.DemandEdit();
        var count = 0;
        foreach (var chunk in ids.Chunk(DestroyBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            count += await sessions.DestroyManyAsync(chunk, actor.Name).ConfigureAwait(false);
        }
        await AuditAsync(actor, "destroy-selected", null, $"{count} of {ids.Count} selected sessions").ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// Destroys every session <paramref name="query"/> matches, created up to now (sessions made while it runs are not
    /// its business), in batches, reporting the running count. Audited with the filter and the count, also when cancelled.
    /// </summary>
    public async Task<int> DestroyMatchingAsync(ConsoleOperator actor, SessionQuery query, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        actor.DemandEdit();
        var now = UtcNow;
        var bounded = query with { CreatedTo = query.CreatedTo is { } to && to < now ? to : now.AddTicks(1) };
        var count = 0;
        string after = "";
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                List<string> ids;
                await using (var db = Store.CreateContext())
                {
                    // Keyset over the ID: each batch starts after the last, whatever the destroys did to the rest.
                    ids = await Filter(db.Sessions.AsNoTracking(), bounded, now.Ticks)
                        .Where(s => string.Compare(s.Id, after) > 0).OrderBy(s => s.Id).Select(s => s.Id)
                        .Take(DestroyBatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                }
                if (ids.Count == 0) break;
                after = ids[^1];
                count += await sessions.DestroyManyAsync(ids, actor.Name).ConfigureAwait(false);
                progress?.Report(count);
            }
        }
        finally
        {
            await AuditAsync(actor, "destroy-matching", null, $"{query.Describe()}: {count} sessions").ConfigureAwait(false);
        }
        return count;
    }

    /// <summary>
    /// Writes the sessions <paramref name="query"/> selects as CSV (ID tail, user, times, IP, user agent; never full
    /// IDs or values), streamed row by row from the store so a million rows need no more memory than one.
    /// </summary>
    public async Task<int> WriteCsvAsync(SessionQuery query, TextWriter writer, CancellationToken cancellationToken = default)
    {
        await writer.WriteLineAsync("id_tail,user,created_utc,last_access_utc,expires_utc,idle_deadline_utc,ip,user_agent").ConfigureAwait(false);
        await using var db = Store.CreateContext();
        var rows = Sort(Filter(db.Sessions.AsNoTracking(), query, UtcNow.Ticks), query.Sort, query.Descending).Select(SummaryOf);
        var count = 0;
        await foreach (var s in rows.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await writer.WriteLineAsync(string.Join(',', Csv.Field(s.ShortId), Csv.Field(s.Principal), Csv.Time(s.CreatedUtc),
                Csv.Time(s.LastAccessUtc), Csv.Time(s.ExpiresAtUtc), Csv.Time(s.IdleDeadlineUtc), Csv.Field(s.RemoteIp), Csv.Field(s.UserAgent)))
                .ConfigureAwait(false);
            count++;
        }
        return count;
    }
}
