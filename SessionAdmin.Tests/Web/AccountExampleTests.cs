using System.Net;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary><c>/login?user=</c> and <c>/examples/account</c>: a visitor sees their own sessions, ends the others, and learns why theirs ended.</summary>
public sealed class AccountExampleTests() : WebAppTest
{
    private async Task<string> LoginAsync(string user, string userAgent = "curl/8.0")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/login?user={Uri.EscapeDataString(user)}");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal($"You are now logged in as {user}.", await response.BodyAsync());
        return response.SessionCookie()!;
    }

    private async Task<string> AccountAsync(string cookie) => await (await Client.Get("/examples/account", cookie)).BodyAsync();

    [Fact]
    public async Task Login_with_a_user_still_gives_the_cake()
    {
        var cookie = await LoginAsync("alice");

        Assert.Equal("The cake is a lie!", await (await Client.Get("/secret", cookie)).BodyAsync());
    }

    [Fact]
    public async Task Login_with_an_empty_user_is_refused_with_400()
    {
        using var response = await Client.Get("/login?user=%20");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("user must have 1 to 256 characters.", await response.BodyAsync());
    }

    [Fact]
    public async Task The_account_page_lists_the_users_sessions_with_this_one_marked()
    {
        await LoginAsync("alice", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1");
        var laptop = await LoginAsync("alice", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0");
        await LoginAsync("bob");

        var page = await AccountAsync(laptop);

        Assert.Contains("Signed in as alice", page);
        Assert.Contains("Your sessions (2)", page);
        Assert.Contains("Firefox on Windows", page);
        Assert.Contains("Safari on iPhone", page);
        Assert.Contains("<strong>this one</strong>", page);
    }

    [Fact]
    public async Task Sign_out_my_other_sessions_keeps_only_this_one()
    {
        var phone = await LoginAsync("alice");
        var laptop = await LoginAsync("alice");

        var request = new HttpRequestMessage(HttpMethod.Post, "/examples/account/sign-out-others").WithCookie(laptop);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Signed out 1 other session.", await AccountAsync(laptop));
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Get("/secret", phone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/secret", laptop)).StatusCode);
    }

    [Fact]
    public async Task A_signed_out_device_is_told_why_its_session_ended()
    {
        var phone = await LoginAsync("alice");
        var laptop = await LoginAsync("alice");
        await Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/examples/account/sign-out-others").WithCookie(laptop), TestContext.Current.CancellationToken);

        var page = await AccountAsync(phone);

        Assert.Contains("Not signed in", page);
        Assert.Contains("You were signed out everywhere", page);
    }

    [Fact]
    public async Task The_account_page_encodes_what_visitors_wrote()
    {
        var cookie = await LoginAsync("<script>alert(1)</script>", "<img src=x onerror=alert(2)>");

        var page = await AccountAsync(cookie);

        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("&lt;script&gt;", page);
    }
}
