using Microsoft.EntityFrameworkCore;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Tests.Core.Principals;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Admin;

/// <summary>The admin API for people and bulk work: users list, a user's sessions, sign out everywhere, bulk destroys, export.</summary>
public abstract class PeopleCatalogTests : IAsyncLifetime
{
    private static readonly ConsoleOperator Operator = new("olga", CanEdit: true);
    private static readonly ConsoleOperator Viewer = new("victor", CanEdit: false);
    private readonly SessionsHarness _h;
    private readonly SessionCatalog _catalog;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DurableStore _store;

    protected PeopleCatalogTests(DurableStore store)
    {
        _store = store;
        _h = PrincipalHarness.Create(store, c => c.IdleTimeout = TimeSpan.FromMinutes(30));
        _catalog = new SessionCatalog(_h.Sessions, _h.Time);
    }

    private async Task<string> LoginAsync(string user, string ip = "192.0.2.1")
    {
        var id = await PrincipalHarness.LoginAsync(_h, user, ip: ip);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        return id;
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await _catalog.AuditLogAsync(10, Ct);

    [Fact]
    public async Task Users_lists_each_principal_with_its_session_count_and_last_activity()
    {
        await LoginAsync("alice", ip: "192.0.2.1");
        await LoginAsync("alice", ip: "192.0.2.2");
        await LoginAsync("bob");
        _h.Cookie = null;
        await _h.RequestAsync(s => s.Set("cart", 1));   // anonymous: not a user

        var page = await _catalog.UsersAsync(new PrincipalQuery(), Ct);

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(["alice", "bob"], page.Items.Select(u => u.Principal));
        Assert.Equal(2, page.Items[0].SessionCount);
        Assert.Equal(2, page.Items[0].DistinctIps);
        Assert.True(page.Items[1].LastActivityUtc > page.Items[0].LastActivityUtc);
    }

    [Fact]
    public async Task Users_are_searched_by_prefix_and_sorted_by_session_count()
    {
        await LoginAsync("alice");
        await LoginAsync("albert");
        await LoginAsync("albert");
        await LoginAsync("bob");

        var page = await _catalog.UsersAsync(new PrincipalQuery { Search = "al", Sort = PrincipalSortField.SessionCount, Descending = true }, Ct);

        Assert.Equal(["albert", "alice"], page.Items.Select(u => u.Principal));
    }

    [Fact]
    public async Task A_users_sessions_come_most_recently_used_first_with_their_details()
    {
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");

        var sessions = await _catalog.SessionsOfAsync("alice", Ct);

        Assert.Equal([second, first], sessions.Select(s => s.Id));
        Assert.All(sessions, s => Assert.Equal("alice", s.Principal));
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_all_of_a_users_sessions_and_is_audited()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");

        Assert.Equal(2, await _catalog.SignOutEverywhereAsync(Operator, "alice", cancellationToken: Ct));

        Assert.Empty(await _catalog.SessionsOfAsync("alice", Ct));
        var audit = (await AuditAsync())[0];
        Assert.Equal(("olga", "sign-out-everywhere", "user=alice: 2 sessions"), (audit.Actor, audit.Action, audit.Detail));
    }

    [Fact]
    public async Task Sign_out_all_but_the_most_recent_keeps_the_last_used_session()
    {
        await LoginAsync("alice");
        var recent = await LoginAsync("alice");

        Assert.Equal(1, await _catalog.SignOutEverywhereAsync(Operator, "alice", keepMostRecent: true, Ct));

        Assert.Equal([recent], (await _catalog.SessionsOfAsync("alice", Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task A_viewer_cannot_sign_anyone_out()
    {
        await LoginAsync("alice");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _catalog.SignOutEverywhereAsync(Viewer, "alice", cancellationToken: Ct));
        Assert.Single(await _catalog.SessionsOfAsync("alice", Ct));
    }

    [Fact]
    public async Task The_sessions_list_filters_by_user_exactly()
    {
        var alice = await LoginAsync("alice");
        await LoginAsync("alice2");

        var page = await _catalog.QueryAsync(new SessionQuery { Principal = "alice" }, Ct);

        Assert.Equal(alice, Assert.Single(page.Items).Id);
        Assert.Equal("alice", page.Items[0].Principal);
    }

    [Fact]
    public async Task Destroy_matching_destroys_exactly_what_the_filter_selects_and_audits_filter_and_count()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        var filter = new SessionQuery { Principal = "alice" };

        Assert.Equal(2, await _catalog.CountMatchingAsync(filter, Ct));
        var progress = new List<int>();
        Assert.Equal(2, await _catalog.DestroyMatchingAsync(Operator, filter, new SyncProgress(progress), Ct));

        Assert.Empty(await _catalog.SessionsOfAsync("alice", Ct));
        Assert.Equal(bob, Assert.Single(await _catalog.SessionsOfAsync("bob", Ct)).Id);
        Assert.Equal(2, progress.Last());
        var audit = (await AuditAsync())[0];
        Assert.Equal(("destroy-matching", "user=alice: 2 sessions"), (audit.Action, audit.Detail));
    }

    [Fact]
    public async Task Destroy_matching_a_date_range_spares_sessions_outside_it()
    {
        // No idle timeout here: a day passes between the two logins.
        await using var h = PrincipalHarness.Create(_store);
        var catalog = new SessionCatalog(h.Sessions, h.Time);
        var old = await PrincipalHarness.LoginAsync(h, "alice");
        h.Time.Advance(TimeSpan.FromDays(1));
        var fresh = await PrincipalHarness.LoginAsync(h, "alice");
        var today = h.Time.GetUtcNow().UtcDateTime.Date;

        await catalog.DestroyMatchingAsync(Operator, new SessionQuery { CreatedFrom = today, CreatedTo = today.AddDays(1) }, null, Ct);

        var left = await catalog.QueryAsync(new SessionQuery(), Ct);
        Assert.Equal(old, Assert.Single(left.Items).Id);
        Assert.NotEqual(old, fresh);
    }

    [Fact]
    public async Task Destroy_selected_destroys_the_chosen_sessions_and_audits_the_count()
    {
        var a = await LoginAsync("alice");
        var b = await LoginAsync("bob");
        var c = await LoginAsync("carol");

        Assert.Equal(2, await _catalog.DestroySelectedAsync(Operator, [a, c], Ct));

        Assert.Equal(b, Assert.Single((await _catalog.QueryAsync(new SessionQuery(), Ct)).Items).Id);
        Assert.Equal("2 of 2 selected sessions", (await AuditAsync())[0].Detail);
    }

    [Fact]
    public async Task Export_writes_the_filtered_rows_as_csv_without_full_ids()
    {
        var alice = await LoginAsync("alice");
        await LoginAsync("bob");
        var csv = new StringWriter();

        var rows = await _catalog.WriteCsvAsync(new SessionQuery { Principal = "alice" }, csv, Ct);

        var lines = csv.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(1, rows);
        Assert.Equal("id_tail,user,created_utc,last_access_utc,expires_utc,idle_deadline_utc,ip,user_agent", lines[0]);
        Assert.StartsWith("…" + alice[^8..] + ",alice,", lines[1]);
        Assert.DoesNotContain(alice, csv.ToString());
    }

    [Fact]
    public async Task Export_neutralises_spreadsheet_formulas_and_quotes_separators()
    {
        await LoginAsync("=HYPERLINK(\"x\",\"y\")");
        var csv = new StringWriter();

        await _catalog.WriteCsvAsync(new SessionQuery(), csv, Ct);

        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",", csv.ToString());
    }

    [Fact]
    public async Task The_destroy_history_keeps_the_user_of_each_destroyed_session()
    {
        await using var feed = new SessionFeed(_h.Sessions, _h.Time);
        await LoginAsync("alice");
        await _catalog.SignOutEverywhereAsync(Operator, "alice", cancellationToken: Ct);

        var destroyed = Assert.Single(await feed.RecentDestroysOfAsync("alice", 10, Ct));
        Assert.Equal((SessionDestroyReason.SignedOutEverywhere, "olga", "alice"), (destroyed.Reason, destroyed.Actor, destroyed.Principal));
    }

    private sealed class SyncProgress(List<int> seen) : IProgress<int>
    {
        public void Report(int value) => seen.Add(value);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqlitePeopleCatalogTests() : PeopleCatalogTests(DurableStore.Sqlite);

public sealed class PostgresPeopleCatalogTests() : PeopleCatalogTests(DurableStore.Postgres);
