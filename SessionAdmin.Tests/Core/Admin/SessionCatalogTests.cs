using CsCheck;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Admin;

/// <summary>The console's queries and type-checked edits, on SQLite.</summary>
public abstract class SessionCatalogTests : IAsyncLifetime
{
    private static readonly ConsoleOperator Operator = new("olga", CanEdit: true);
    private static readonly ConsoleOperator Viewer = new("victor", CanEdit: false);
    private readonly SessionsHarness _h;
    private readonly SessionCatalog _catalog;

    protected SessionCatalogTests(DurableStore store)
    {
        _h = SessionsHarness.Durable(store, c => c.IdleTimeout = TimeSpan.FromMinutes(30));
        _catalog = new SessionCatalog(_h.Sessions, _h.Time);
    }

    private async Task<string> NewSessionAsync(Action<Session> fill)
    {
        _h.Cookie = null;
        await _h.RequestAsync(fill);
        return _h.Cookie!;
    }

    private async Task<object?> StoredAsync(string id, string key)
    {
        _h.Cookie = id;
        return await _h.ReadAsync(s => s.Get(key));
    }

    [Fact]
    public async Task Query_pages_and_counts_in_the_store()
    {
        for (var i = 0; i < 7; i++) { await NewSessionAsync(s => s.Set("i", i)); _h.Time.Advance(TimeSpan.FromSeconds(1)); }

        var page = await _catalog.QueryAsync(new SessionQuery { Page = 1, PageSize = 3, Sort = SessionSortField.Created, Descending = false }, TestContext.Current.CancellationToken);

        Assert.Equal(7, page.TotalCount);
        Assert.Equal(3, page.Items.Count);
        Assert.True(page.Items[0].CreatedUtc < page.Items[1].CreatedUtc);
    }

    private async Task<long> RowBytesAsync(string id) =>
        Assert.Single((await _catalog.QueryAsync(new SessionQuery { Search = id }, TestContext.Current.CancellationToken)).Items).ValueBytes;

    [Fact]
    public async Task The_row_size_counts_what_is_stored_after_loads_changes_and_deletes()
    {
        var id = await NewSessionAsync(s => { s.Set("a", "abcd"); s.Set("n", 12345); s.SetFlash("f", "hi"); });
        Assert.Equal(4 + 5 + 2, await RowBytesAsync(id));

        await _h.RestartAsync();  // the next request loads the session from the store
        _h.Cookie = id;
        await _h.RequestAsync(s => { s.Set("a", "xy"); s.Delete("n"); });

        Assert.Equal(2 + 2, await RowBytesAsync(id));
    }

    [Fact]
    public async Task Query_filters_by_key_and_value_text()
    {
        var ada = await NewSessionAsync(s => s.Set("user", "ada"));
        await NewSessionAsync(s => s.Set("cart", 3));

        var byKey = await _catalog.QueryAsync(new SessionQuery { Key = "user" }, TestContext.Current.CancellationToken);
        var byValue = await _catalog.QueryAsync(new SessionQuery { ValueText = "ad" }, TestContext.Current.CancellationToken);
        var byPrefix = await _catalog.QueryAsync(new SessionQuery { Search = ada[..14] }, TestContext.Current.CancellationToken);
        var byShortId = await _catalog.QueryAsync(new SessionQuery { Search = "…" + ada[^8..] }, TestContext.Current.CancellationToken);

        Assert.Equal(ada, Assert.Single(byKey.Items).Id);
        Assert.Equal(ada, Assert.Single(byValue.Items).Id);
        Assert.Equal(ada, Assert.Single(byPrefix.Items).Id);
        Assert.Equal(ada, Assert.Single(byShortId.Items).Id);
    }

    [Fact]
    public async Task Query_tells_expired_from_live_sessions()
    {
        var old = await NewSessionAsync(s => s.Set("k", 1));
        _h.Time.Advance(TimeSpan.FromMinutes(31));
        var fresh = await NewSessionAsync(s => s.Set("k", 2));

        var expired = await _catalog.QueryAsync(new SessionQuery { Expired = true }, TestContext.Current.CancellationToken);
        var live = await _catalog.QueryAsync(new SessionQuery { Expired = false }, TestContext.Current.CancellationToken);

        Assert.Equal(old, Assert.Single(expired.Items).Id);
        Assert.Equal(fresh, Assert.Single(live.Items).Id);
    }

    [Fact]
    public async Task Details_show_typed_values_immutables_and_flashes()
    {
        var id = await NewSessionAsync(s => { s.Set("n", 42); s.SetImmutable("role", "admin"); s.SetFlash("msg", "hi"); });

        var details = await _catalog.GetAsync(id, TestContext.Current.CancellationToken);

        Assert.NotNull(details);
        Assert.Contains(details.Values, v => v is { Key: "n", TypeName: "Int32", Text: "42", Immutable: false });
        Assert.Contains(details.Values, v => v is { Key: "role", Immutable: true });
        Assert.Equal("msg", Assert.Single(details.Flashes).Key);
        Assert.Equal(2, details.Summary.ValueCount);
    }

    [Fact]
    public async Task An_edit_that_fits_the_type_is_saved_and_seen_by_the_next_request()
    {
        var id = await NewSessionAsync(s => s.Set("n", 42));

        var result = await _catalog.UpdateValueAsync(Operator, id, "n", "43");

        Assert.True(result.Succeeded);
        Assert.Equal(43, await StoredAsync(id, "n"));
    }

    [Fact]
    public async Task A_wrong_typed_edit_is_refused_with_a_message_and_the_value_stays()
    {
        var id = await NewSessionAsync(s => s.Set("n", 42));

        var result = await _catalog.UpdateValueAsync(Operator, id, "n", "forty-three");

        Assert.False(result.Succeeded);
        Assert.Contains("not a valid Int32", result.Message);
        Assert.Equal(42, await StoredAsync(id, "n"));
    }

    [Fact]
    public async Task Invalid_json_is_refused()
    {
        var id = await NewSessionAsync(s => s.Set("obj", new { A = 1 }));
        var result = await _catalog.UpdateValueAsync(Operator, id, "obj", "{\"A\": ");
        Assert.False(result.Succeeded);
        Assert.StartsWith("Not valid JSON", result.Message);
    }

    [Fact]
    public async Task An_immutable_value_cannot_be_edited()
    {
        var id = await NewSessionAsync(s => s.SetImmutable("role", "admin"));
        var result = await _catalog.UpdateValueAsync(Operator, id, "role", "root");
        Assert.False(result.Succeeded);
        Assert.Equal("admin", await StoredAsync(id, "role"));
    }

    [Fact]
    public async Task Add_creates_a_value_of_the_chosen_type()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        var result = await _catalog.AddValueAsync(Operator, id, "when", "DateTimeOffset", "2026-11-27T12:00:00+01:00");
        Assert.True(result.Succeeded);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.FromHours(1)), await StoredAsync(id, "when"));
    }

    [Fact]
    public async Task Add_of_an_existing_key_is_refused()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        Assert.False((await _catalog.AddValueAsync(Operator, id, "k", "Int32", "2")).Succeeded);
        Assert.Equal(1, await StoredAsync(id, "k"));
    }

    [Fact]
    public async Task Delete_removes_the_key()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        Assert.True((await _catalog.DeleteValueAsync(Operator, id, "k")).Succeeded);
        Assert.Null(await StoredAsync(id, "k"));
    }

    [Fact]
    public async Task A_viewer_cannot_edit_or_destroy()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _catalog.UpdateValueAsync(Viewer, id, "k", "2"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _catalog.DestroyAsync(Viewer, id));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _catalog.DestroyAllAsync(Viewer, null, TestContext.Current.CancellationToken));
        Assert.Equal(1, await StoredAsync(id, "k"));
    }

    [Fact]
    public async Task Destroy_names_the_operator_in_the_event_and_the_audit_log()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        SessionDestroyedEventArgs? seen = null;
        _h.Sessions.Destroyed += (_, e) => seen = e;

        Assert.True(await _catalog.DestroyAsync(Operator, id));

        Assert.Equal(("olga", SessionDestroyReason.DestroyedByID), (seen!.Actor, seen.Reason));
        var audit = Assert.Single(await _catalog.AuditLogAsync(10, TestContext.Current.CancellationToken));
        Assert.Equal(("olga", "destroy"), (audit.Actor, audit.Action));
        Assert.NotNull(audit.SessionHash);
        Assert.DoesNotContain(id, audit.SessionHash);
    }

    [Fact]
    public async Task Destroy_all_reports_progress_and_counts()
    {
        for (var i = 0; i < 5; i++) await NewSessionAsync(s => s.Set("i", i));
        var reported = new List<int>();

        var count = await _catalog.DestroyAllAsync(Operator, new SyncProgress(reported.Add), TestContext.Current.CancellationToken);

        Assert.Equal(5, count);
        Assert.Equal(5, reported.Last());
        Assert.Equal(0, (await _catalog.QueryAsync(new SessionQuery(), TestContext.Current.CancellationToken)).TotalCount);
    }

    [Fact]
    public async Task Edits_are_audited()
    {
        var id = await NewSessionAsync(s => s.Set("n", 1));
        await _catalog.UpdateValueAsync(Operator, id, "n", "2");
        await _catalog.AddValueAsync(Operator, id, "m", "String", "x");
        await _catalog.DeleteValueAsync(Operator, id, "m");

        var actions = (await _catalog.AuditLogAsync(10, TestContext.Current.CancellationToken)).Select(a => a.Action);

        Assert.Equal(["delete", "add", "set"], actions);
    }

    [Fact]
    public async Task Generated_edits_are_saved_exactly_or_refused_with_a_message_leaving_the_value()
    {
        var id = await NewSessionAsync(s => s.Set("n", 42));
        var texts = Gen.OneOf(Gen.String[0, 30], Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Char["0123456789 -+.,eE"].Array[0, 15].Select(a => new string(a)));
        var expected = (object)42;
        var tried = 0;

        await texts.SampleAsync(async text =>
        {
            tried++;
            var result = await _catalog.UpdateValueAsync(Operator, id, "n", text);
            if (result.Succeeded) expected = int.Parse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture);
            else Assert.False(string.IsNullOrWhiteSpace(result.Message));
            Assert.Equal(expected, await StoredAsync(id, "n"));
        }, iter: 500, threads: 1);

        Assert.Equal(500, tried);
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteSessionCatalogTests() : SessionCatalogTests(DurableStore.Sqlite);

public sealed class PostgresSessionCatalogTests() : SessionCatalogTests(DurableStore.Postgres);
