using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decisions 2, 12 and 13: what the session cookie looks like, and which IDs are acceptable.</summary>
public sealed class CookieTests
{
    private static async Task<string> SetCookieOf(SessionsHarness h, string host = "localhost", bool https = false, params Action<CookieOptions>[] options)
    {
        var exchange = await h.RequestAsync((ctx, s) => s.Start(ctx, options), host, https);
        return Assert.Single(exchange.SetCookies);
    }

    [Fact]
    public async Task The_cookie_is_HttpOnly_SameSite_Lax_with_path_root()
    {
        await using var h = SessionsHarness.Memory();
        var cookie = await SetCookieOf(h);
        Assert.Contains("path=/", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.DoesNotContain("secure", cookie);
    }

    [Fact]
    public async Task CookieSecureTLS_adds_Secure_on_https_requests_only()
    {
        await using var h = SessionsHarness.Memory(c => c.CookieSecureTLS = true);
        Assert.Contains("secure", await SetCookieOf(h, https: true));
        h.Cookie = null;
        Assert.DoesNotContain("secure", await SetCookieOf(h, https: false));
    }

    [Theory]
    [InlineData("www.example.com", "example.com")]
    [InlineData("example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    public async Task Subdomain_persistence_sets_the_registrable_domain(string host, string domain)
    {
        await using var h = SessionsHarness.Memory();
        Assert.Contains($"domain={domain}", await SetCookieOf(h, host));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("192.168.1.5")]
    public async Task No_domain_for_localhost_or_an_ip(string host)
    {
        await using var h = SessionsHarness.Memory();
        Assert.DoesNotContain("domain=", await SetCookieOf(h, host));
    }

    [Fact]
    public async Task DisableSubdomainPersistence_gives_a_host_only_cookie()
    {
        await using var h = SessionsHarness.Memory(c => c.DisableSubdomainPersistence = true);
        Assert.DoesNotContain("domain=", await SetCookieOf(h, "www.example.com"));
    }

    [Fact]
    public async Task The_default_cookie_name_gets_every_option()
    {
        await using var h = SessionsHarness.Memory(c => c.Cookie = "");
        var exchange = await h.RequestAsync((ctx, s) => s.Start(ctx), "www.example.com");
        var cookie = Assert.Single(exchange.SetCookies);
        Assert.StartsWith(SessionsConfig.DefaultCookieName + "=", cookie);
        Assert.Contains("domain=example.com", cookie);
    }

    [Fact]
    public async Task Per_call_options_override_the_defaults()
    {
        await using var h = SessionsHarness.Memory();
        Assert.Contains("samesite=strict", await SetCookieOf(h, options: o => o.SameSite = SameSiteMode.Strict));
    }

    [Fact]
    public async Task The_deletion_cookie_has_the_same_path_and_domain()
    {
        await using var h = SessionsHarness.Memory();
        await SetCookieOf(h, "www.example.com");
        var exchange = await h.RequestAsync((ctx, s) => s.Destroy(ctx), "www.example.com");
        var deletion = Assert.Single(exchange.SetCookies);
        Assert.Contains("domain=example.com", deletion);
        Assert.Contains("path=/", deletion);
        Assert.Contains("expires=Thu, 01 Jan 1970", deletion);
    }

    [Fact]
    public async Task A_positive_Expires_sets_max_age_to_the_lifetime()
    {
        await using var h = SessionsHarness.Memory(c => c.Expires = TimeSpan.FromMinutes(30));
        Assert.Contains("max-age=1800", await SetCookieOf(h));
    }

    [Fact]
    public async Task Expires_zero_gives_a_cookie_that_lives_at_least_a_year()
    {
        await using var h = SessionsHarness.Memory();
        var cookie = await SetCookieOf(h);
        var maxAge = long.Parse(cookie.Split("max-age=")[1].Split(';')[0]);
        Assert.True(maxAge >= TimeSpan.FromDays(365).TotalSeconds);
    }

    [Fact]
    public async Task A_negative_Expires_gives_a_browser_session_cookie()
    {
        await using var h = SessionsHarness.Memory(c => c.Expires = TimeSpan.FromSeconds(-1));
        var cookie = await SetCookieOf(h);
        Assert.DoesNotContain("expires=", cookie);
        Assert.DoesNotContain("max-age=", cookie);
    }

    [Fact]
    public async Task A_Host_prefixed_cookie_is_secure_host_only_and_at_the_root()
    {
        await using var h = SessionsHarness.Memory(c => c.Cookie = "__Host-sid");
        var exchange = await h.RequestAsync((ctx, s) => s.Start(ctx, o => o.Path = "/app"), "www.example.com", https: true);
        var cookie = Assert.Single(exchange.SetCookies);
        Assert.StartsWith("__Host-sid=", cookie);
        Assert.Contains("secure", cookie);
        Assert.Contains("path=/;", cookie);
        Assert.DoesNotContain("domain=", cookie);
    }

    [Fact]
    public async Task The_default_ids_are_long_url_safe_and_unique()
    {
        await using var h = SessionsHarness.Memory();
        var ids = new HashSet<string>();
        for (var i = 0; i < 200; i++) { h.Cookie = null; ids.Add(await h.ReadAsync(s => s.ID)); }
        Assert.Equal(200, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{32}$", id));
    }

    [Fact]
    public async Task Default_ids_sort_in_creation_order()
    {
        await using var h = SessionsHarness.Memory();
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            h.Cookie = null;
            ids.Add(await h.ReadAsync(s => s.ID));
            h.Time.Advance(TimeSpan.FromMilliseconds(i * 37 + 1));
        }

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_custom_generator_names_new_sessions()
    {
        var n = 0;
        await using var h = SessionsHarness.Memory(c => c.SessionIDGenerator = _ => $"custom-{++n}");
        Assert.Equal("custom-1", await h.ReadAsync(s => s.ID));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task A_generator_returning_an_unsafe_id_fails_the_request_without_a_cookie(string bad)
    {
        await using var h = SessionsHarness.Memory(c => c.SessionIDGenerator = _ => bad);
        var request = new FakeRequest();
        Assert.Throws<InvalidOperationException>(() => h.Sessions.Start(request.Context));
        Assert.Empty((await request.CompleteAsync()).SetCookies);
    }

    [Fact]
    public async Task The_first_cookie_of_the_name_wins()
    {
        await using var h = SessionsHarness.Memory();
        var id = await h.ReadAsync(s => s.ID);
        var request = new FakeRequest($"{SessionsHarness.CookieName}={id}; {SessionsHarness.CookieName}=other");
        Assert.Equal(id, h.Sessions.Start(request.Context).ID);
    }

    [Fact]
    public async Task Data_protection_encoding_round_trips_and_hides_the_id()
    {
        var encoding = new DataProtectionCookieEncoding(new EphemeralDataProtectionProvider());
        await using var h = SessionsHarness.Memory(c => c.Encoding = encoding);
        var id = await h.ReadAsync(s => s.ID);
        Assert.NotEqual(id, h.Cookie);
        Assert.Equal(id, await h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task A_tampered_encoded_cookie_starts_a_fresh_session()
    {
        var encoding = new DataProtectionCookieEncoding(new EphemeralDataProtectionProvider());
        await using var h = SessionsHarness.Memory(c => c.Encoding = encoding);
        var id = await h.ReadAsync(s => s.ID);
        h.Cookie = h.Cookie![..^2] + (h.Cookie[^2] == 'A' ? "B" : "A") + h.Cookie[^1];
        Assert.NotEqual(id, await h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task A_plain_id_is_refused_when_an_encoding_is_set()
    {
        var encoding = new DataProtectionCookieEncoding(new EphemeralDataProtectionProvider());
        await using var h = SessionsHarness.Memory(c => c.Encoding = encoding);
        var id = await h.ReadAsync(s => s.ID);
        h.Cookie = id;
        Assert.NotEqual(id, await h.ReadAsync(s => s.ID));
    }
}
