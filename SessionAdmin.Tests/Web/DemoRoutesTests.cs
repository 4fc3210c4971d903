using System.Net;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>The seed's login demo over HTTP, against the real app on a SQLite file.</summary>
public sealed class DemoRoutesTests() : WebAppTest
{
    private async Task<string> LoginAsync()
    {
        using var response = await Client.Head("/login");
        return response.SessionCookie()!;
    }

    [Fact]
    public async Task Secret_without_a_session_is_403_Forbidden()
    {
        using var response = await Client.Get("/secret");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden", await response.BodyAsync());
    }

    [Fact]
    public async Task HEAD_login_answers_200_with_the_session_cookie()
    {
        using var response = await Client.Head("/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("mysessionid=", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
    }

    [Fact]
    public async Task The_seed_transcript_gives_the_cake()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Get("/secret")).StatusCode);
        var cookie = await LoginAsync();

        using var secret = await Client.Get("/secret", cookie);

        Assert.Equal(HttpStatusCode.OK, secret.StatusCode);
        Assert.Equal("The cake is a lie!", await secret.BodyAsync());
    }

    [Fact]
    public async Task GET_login_works_as_well_as_HEAD()
    {
        using var login = await Client.Get("/login");
        Assert.Equal("The cake is a lie!", await (await Client.Get("/secret", login.SessionCookie())).BodyAsync());
    }

    [Fact]
    public async Task Login_rotates_the_session_id_and_the_old_one_is_dead()
    {
        using var first = await Client.Get("/secret");
        var before = first.SessionCookie();

        using var login = await Client.Get("/login", before);
        var after = login.SessionCookie();

        Assert.NotNull(after);
        Assert.NotEqual(before, after);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Get("/secret", before)).StatusCode);
    }

    [Fact]
    public async Task Logout_destroys_the_session_and_deletes_the_cookie()
    {
        var cookie = await LoginAsync();

        using var logout = await Client.Get("/logout", cookie);

        Assert.Equal("", logout.SessionCookie());
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Get("/secret", cookie)).StatusCode);
    }

    [Fact]
    public async Task A_login_survives_a_restart_of_theApp()
    {
        var cookie = await LoginAsync();
        await App.DisposeAsync();

        await using var restarted = new WebAppFactory(Db);
        using var secret = await restarted.Client().Get("/secret", cookie);

        Assert.Equal("The cake is a lie!", await secret.BodyAsync());
    }

    [Fact]
    public async Task The_landing_page_links_the_demo_and_sets_no_cookie()
    {
        using var response = await Client.Get("/");
        Assert.Contains("href=\"/login\"", await response.BodyAsync());
        Assert.Null(response.SessionCookie());
    }

    [Fact]
    public async Task Sixty_four_parallelClients_on_one_session_count_exactly()
    {
        using var first = await Client.Get("/examples/visits");
        var cookie = first.SessionCookie();
        const int clients = 64, each = 10;

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = 0; i < each; i++) (await Client.Get("/examples/visits", cookie)).EnsureSuccessStatusCode();
        }));

        using var last = await Client.Get("/examples/visits", cookie);
        Assert.Equal($"{clients * each + 2} visit(s) from my current session", await last.BodyAsync());
    }

}
