using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Secure cookies behind a TLS proxy, and the console's security headers.</summary>
public sealed class CookieSecurityTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private WebAppFactory? _app;

    // The test server has no socket; this plays the connection's remote address.
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, n) => { ctx.Connection.RemoteIpAddress = address; return n(ctx); });
            next(app);
        };
    }

    private HttpClient ClientFrom(string remote)
    {
        _app = new WebAppFactory(_db, b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(remote)))));
        return _app.Client();
    }

    private static async Task<string> LoginCookieAsync(HttpClient client, string? forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mysessionid=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Behind_a_local_TLS_proxy_the_session_cookie_is_Secure() =>
        Assert.Contains("secure", await LoginCookieAsync(ClientFrom("127.0.0.1"), "https"));

    [Fact]
    public async Task Over_plain_http_the_session_cookie_is_not_Secure() =>
        Assert.DoesNotContain("secure", await LoginCookieAsync(ClientFrom("127.0.0.1"), null));

    [Fact]
    public async Task A_forwarded_header_from_an_unknown_address_is_ignored() =>
        Assert.DoesNotContain("secure", await LoginCookieAsync(ClientFrom("203.0.113.9"), "https"));

    [Theory]
    [InlineData("/admin/login")]
    [InlineData("/admin")]
    public async Task Console_responses_carry_the_security_headers(string path)
    {
        using var response = await ClientFrom("127.0.0.1").Get(path);
        var headers = response.Headers;
        var csp = string.Join(" ", headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _db.Dispose();
    }
}
