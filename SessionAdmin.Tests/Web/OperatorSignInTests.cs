using System.Net;
using Microsoft.AspNetCore.Hosting;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Web;

/// <summary>The console is for operators only: sign-in, roles, rate limiting, and the hub.</summary>
public sealed class OperatorSignInTests() : WebAppTest(Operators)
{
    private const string AdminPassword = "correct horse battery staple";

    private static void Operators(IWebHostBuilder builder, TempDatabase _)
    {
        builder.UseSetting("Admin:Operators:0:Name", "olga");
        builder.UseSetting("Admin:Operators:0:PasswordHash", OperatorDirectory.Hash(AdminPassword));
        builder.UseSetting("Admin:Operators:0:Role", OperatorRoles.Operator);
        builder.UseSetting("Admin:Operators:1:Name", "victor");
        builder.UseSetting("Admin:Operators:1:PasswordHash", OperatorDirectory.Hash("viewer password"));
        builder.UseSetting("Admin:Operators:1:Role", OperatorRoles.Viewer);
    }

    private Task<HttpResponseMessage> SignInAsync(string user, string password, bool withToken = true) => Client.SignInAsync(user, password, withToken);

    private static string OperatorCookie(HttpResponseMessage response) => OperatorHttp.OperatorCookie(response);

    [Fact]
    public async Task The_console_without_sign_in_redirects_to_the_sign_in_page()
    {
        using var response = await Client.Get("/admin/sessions");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_hub_refuses_a_visitor_without_sign_in()
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_has_username_password_and_antiforgery()
    {
        var html = await (await Client.Get("/admin/login")).BodyAsync();
        Assert.Contains(">Username<", html);
        Assert.Contains(">Password<", html);
        Assert.Contains(">Sign in<", html);
        Assert.Matches(OperatorHttp.TokenField(), html);
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        using var response = await SignInAsync("olga", AdminPassword, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_out_post_without_the_antiforgery_token_is_refused_and_the_operator_stays_signed_in()
    {
        var cookie = OperatorCookie(await SignInAsync("olga", AdminPassword));
        var signOut = new HttpRequestMessage(HttpMethod.Post, "/admin/signout") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "signout" }) };
        signOut.Headers.TryAddWithoutValidation("Cookie", cookie);

        using var response = await Client.SendAsync(signOut, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var console = new HttpRequestMessage(HttpMethod.Get, "/admin/sessions");
        console.Headers.TryAddWithoutValidation("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(console, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        using var response = await SignInAsync("olga", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Invalid username or password.", await response.BodyAsync());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("SessionAdmin.Operator=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_operator_signs_in_with_their_own_cookie_and_reaches_the_console()
    {
        using var response = await SignInAsync("olga", AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = OperatorCookie(response);
        Assert.DoesNotContain(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mysessionid=", StringComparison.Ordinal));

        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/sessions");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        using var console = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task A_viewer_may_sign_in_and_read()
    {
        using var response = await SignInAsync("victor", "viewer password");
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.TryAddWithoutValidation("Cookie", OperatorCookie(response));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await SignInAsync("olga", "guess " + i)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task The_health_endpoint_reports_the_store()
    {
        using var response = await Client.Get("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.BodyAsync());
    }

}
