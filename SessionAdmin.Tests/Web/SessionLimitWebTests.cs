using System.Net;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>The app with <c>Sessions:MaxSessionsPerPrincipal</c> = 2: a third login of one user ends her least recently used session.</summary>
public sealed class SessionLimitWebTests() : WebAppTest((builder, _) => builder.UseSetting("Sessions:MaxSessionsPerPrincipal", "2"))
{
    private async Task<string> LoginAsync(string user)
    {
        using var response = await Client.Get($"/login?user={user}");
        return response.SessionCookie()!;
    }

    [Fact]
    public async Task A_third_login_ends_the_least_recently_used_session_and_tells_it_why()
    {
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");
        await Client.Get("/secret", first);   // the first is now more recent than the second
        var third = await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/secret", first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/secret", third)).StatusCode);
        Assert.Contains("more devices than allowed", await (await Client.Get("/examples/account", second)).BodyAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Get("/secret", second)).StatusCode);
    }

    [Fact]
    public async Task Other_users_are_not_counted()
    {
        var bob = await LoginAsync("bob");
        for (var i = 0; i < 3; i++) await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/secret", bob)).StatusCode);
    }
}

/// <summary>A session limit that cannot work stops the start with one message naming the key.</summary>
public sealed class SessionLimitConfigurationTests
{
    [Fact]
    public async Task A_negative_session_limit_stops_the_app_at_start()
    {
        using var db = new TempDatabase();
        await using var app = new WebAppFactory(db, b => b.UseSetting("Sessions:MaxSessionsPerPrincipal", "-1"));

        // Program logs the one-line reason (PrincipalOptionsTests pin its words) and the host never starts.
        Assert.ThrowsAny<InvalidOperationException>(() => app.Client());
    }
}
