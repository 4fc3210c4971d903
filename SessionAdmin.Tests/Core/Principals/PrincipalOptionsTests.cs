using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Principals;

/// <summary>The principal options are checked when the manager is made, and a changed key re-indexes the store.</summary>
public sealed class PrincipalOptionsTests
{
    [Fact]
    public void A_negative_session_limit_stops_the_start_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sessions(new SessionsConfig { PrincipalKey = "user", MaxSessionsPerPrincipal = -1 }));

        Assert.Contains("Sessions:MaxSessionsPerPrincipal", ex.Message);
    }

    [Fact]
    public void A_session_limit_without_a_principal_key_stops_the_start()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sessions(new SessionsConfig { MaxSessionsPerPrincipal = 3 }));

        Assert.Contains("Sessions:PrincipalKey", ex.Message);
    }

    [Fact]
    public void A_principal_key_that_is_no_session_key_stops_the_start()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sessions(new SessionsConfig { PrincipalKey = new string('k', 300) }));

        Assert.Contains("Sessions:PrincipalKey", ex.Message);
    }

    [Fact]
    public async Task Without_a_principal_key_no_session_names_a_principal()
    {
        await using var h = SessionsHarness.Memory();
        await h.RequestAsync(s => s.Set("user", "alice"));

        Assert.Null(await h.ReadAsync(s => s.Principal));
    }

    [Fact]
    public Task Changing_the_principal_key_between_runs_reindexes_the_stored_sessions_on_sqlite() => ReindexesAsync(DurableStore.Sqlite);

    [Fact]
    [Trait("Needs", "PostgreSQL")]
    public Task Changing_the_principal_key_between_runs_reindexes_the_stored_sessions_on_postgres() => ReindexesAsync(DurableStore.Postgres);

    private static async Task ReindexesAsync(DurableStore store)
    {
        var key = "user";
        await using var h = SessionsHarness.Durable(store, c => c.PrincipalKey = key);
        string id = "";
        await h.RequestAsync(s => { s.Set("user", "alice"); s.Set("login", "alice@example.com"); id = s.ID; });

        key = "login";
        await h.RestartAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty(await h.Sessions.FindByPrincipalAsync("alice", ct));
        Assert.Equal([id], await h.Sessions.FindByPrincipalAsync("alice@example.com", ct));

        key = "";
        await h.RestartAsync();
        Assert.Empty(await h.Sessions.FindByPrincipalAsync("alice@example.com", ct));
    }
}
