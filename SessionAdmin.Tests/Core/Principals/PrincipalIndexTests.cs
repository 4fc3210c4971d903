using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Principals;

/// <summary>
/// The principal rules of the API contract: only a non-empty string under <c>PrincipalKey</c> names a principal, and
/// every change to it (Set, SetImmutable, Delete, Clear, RegenerateID) moves the store's index in the same commit.
/// </summary>
public abstract class PrincipalIndexTests(DurableStore? store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = PrincipalHarness.Create(store);
    private Sessions Sessions => _h.Sessions;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<IReadOnlyList<string>> FindAsync(string principal) => Sessions.FindByPrincipalAsync(principal, Ct);

    [Fact]
    public async Task A_string_under_the_principal_key_names_the_principal_and_is_found()
    {
        var id = await PrincipalHarness.LoginAsync(_h, "alice");

        Assert.Equal([id], await FindAsync("alice"));
        Assert.Equal("alice", await _h.ReadAsync(s => s.Principal));
    }

    [Theory]
    [InlineData(42)]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(true)]
    public async Task A_value_that_is_not_a_non_empty_string_names_no_principal(object? value)
    {
        await _h.RequestAsync(s => s.Set(PrincipalHarness.Key, value));

        Assert.Null(await _h.ReadAsync(s => s.Principal));
        Assert.Empty(await FindAsync(""));
        Assert.Empty(await FindAsync("42"));
    }

    [Fact]
    public async Task A_session_without_the_key_names_no_principal()
    {
        await _h.RequestAsync(s => s.Set("other", "alice"));

        Assert.Null(await _h.ReadAsync(s => s.Principal));
        Assert.Empty(await FindAsync("alice"));
    }

    [Fact]
    public async Task Changing_the_value_moves_the_session_to_the_new_principal()
    {
        var id = await PrincipalHarness.LoginAsync(_h, "alice");
        await _h.RequestAsync(s => s.Set(PrincipalHarness.Key, "bob"));

        Assert.Empty(await FindAsync("alice"));
        Assert.Equal([id], await FindAsync("bob"));
    }

    [Fact]
    public async Task Delete_of_the_key_takes_the_session_out_of_the_index()
    {
        await PrincipalHarness.LoginAsync(_h, "alice");
        await _h.RequestAsync(s => s.Delete(PrincipalHarness.Key));

        Assert.Empty(await FindAsync("alice"));
    }

    [Fact]
    public async Task Clear_takes_the_session_out_of_the_index()
    {
        await PrincipalHarness.LoginAsync(_h, "alice");
        await _h.RequestAsync(s => s.Clear());

        Assert.Empty(await FindAsync("alice"));
    }

    [Fact]
    public async Task SetImmutable_names_the_principal_and_Set_cannot_change_it()
    {
        var id = "";
        await _h.RequestAsync(s => { s.SetImmutable(PrincipalHarness.Key, "alice"); id = s.ID; });
        await _h.RequestAsync(s => s.Set(PrincipalHarness.Key, "mallory"));

        Assert.Equal([id], await FindAsync("alice"));
        Assert.Empty(await FindAsync("mallory"));
    }

    [Fact]
    public async Task Increment_of_the_key_stores_an_int_and_names_no_principal()
    {
        await PrincipalHarness.LoginAsync(_h, "7");
        await _h.RequestAsync(s => s.Increment(PrincipalHarness.Key, 1));

        Assert.Empty(await FindAsync("7"));
        Assert.Empty(await FindAsync("8"));
    }

    [Fact]
    public async Task RegenerateID_moves_the_principal_to_the_new_ID_in_the_same_commit()
    {
        var oldId = await PrincipalHarness.LoginAsync(_h, "alice");
        var newId = "";
        await _h.RequestAsync((ctx, sessions) => { sessions.RegenerateID(ctx); newId = sessions.Start(ctx).ID; });

        Assert.NotEqual(oldId, newId);
        Assert.Equal([newId], await FindAsync("alice"));
    }

    [Fact]
    public async Task Principals_match_ordinally_and_case_sensitively()
    {
        var id = await PrincipalHarness.LoginAsync(_h, "Alice");

        Assert.Equal([id], await FindAsync("Alice"));
        Assert.Empty(await FindAsync("alice"));
        Assert.Empty(await FindAsync("Alice "));
    }

    [Fact]
    public async Task Sessions_are_listed_most_recently_used_first()
    {
        var first = await PrincipalHarness.LoginAsync(_h, "alice");
        var firstCookie = _h.Cookie;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await PrincipalHarness.LoginAsync(_h, "alice");
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        _h.Cookie = firstCookie;
        await _h.ReadAsync(s => s.ID);   // a use of the first, known to this node only (no store write per request)

        Assert.Equal([first, second], await FindAsync("alice"));
    }

    [Fact]
    public async Task Expired_sessions_are_not_found()
    {
        await using var h = PrincipalHarness.Create(store, c => c.IdleTimeout = TimeSpan.FromMinutes(5));
        await PrincipalHarness.LoginAsync(h, "alice");
        h.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Empty(await h.Sessions.FindByPrincipalAsync("alice", Ct));
    }

    [Fact]
    public async Task A_principal_longer_than_256_characters_is_refused()
    {
        ArgumentException? refused = null;
        await _h.RequestAsync(s => refused = Record.Exception(() => s.Set(PrincipalHarness.Key, new string('a', 257))) as ArgumentException);

        Assert.NotNull(refused);
        Assert.Contains("principal", refused.Message);
    }

    [Fact]
    public async Task A_destroyed_session_leaves_the_index()
    {
        await PrincipalHarness.LoginAsync(_h, "alice");
        await _h.RequestAsync((ctx, sessions) => sessions.Destroy(ctx));

        Assert.Empty(await FindAsync("alice"));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class MemoryPrincipalIndexTests() : PrincipalIndexTests(null);

public sealed class SqlitePrincipalIndexTests() : PrincipalIndexTests(DurableStore.Sqlite);

public sealed class PostgresPrincipalIndexTests() : PrincipalIndexTests(DurableStore.Postgres);
