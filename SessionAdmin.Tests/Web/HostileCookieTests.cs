using System.Text;
using CsCheck;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Malformed, forged and oversized cookies start a fresh session and never cause a 5xx.</summary>
public sealed class HostileCookieTests() : WebAppTest
{
    private static string HostileCookieHeader(Random random, string liveId)
    {
        string RandomText(int length, int lo, int hi) =>
            new(Enumerable.Range(0, length).Select(_ => (char)random.Next(lo, hi)).ToArray());
        return (random.Next(10)) switch
        {
            0 => "mysessionid=",
            1 => "mysessionid=" + RandomText(random.Next(129, 8000), 33, 127),
            2 => "mysessionid=" + RandomText(random.Next(1, 64), 0x80, 0x3000),
            3 => "mysessionid=" + RandomText(random.Next(1, 64), 0, 32),
            4 => string.Join("; ", Enumerable.Range(0, random.Next(2, 50)).Select(i => $"mysessionid=forged{i}")),
            5 => "mysessionid=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(RandomText(24, 33, 127))),
            6 => "mysessionid=\"" + RandomText(random.Next(0, 40), 33, 127) + "\"",
            7 => "mysessionid=" + liveId + RandomText(1, 33, 127),
            8 => "mysessionid=%00%ff%" + RandomText(3, 33, 127),
            _ => RandomText(random.Next(0, 200), 0, 256),
        };
    }

    [Fact]
    public async Task Ten_thousand_hostile_cookies_never_get_a_5xx()
    {
        using var login = await Client.Get("/login");
        var liveId = login.SessionCookie()!;
        var random = new Random(20261127);
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < 10_000; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, i % 2 == 0 ? "/secret" : "/examples/visits");
            request.Headers.TryAddWithoutValidation("Cookie", HostileCookieHeader(random, liveId));
            using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
            var code = (int)response.StatusCode;
            statuses[code] = statuses.GetValueOrDefault(code) + 1;
            Assert.True(code < 500, $"request {i} answered {code}");
        }

        Assert.Equal(10_000, statuses.Values.Sum());
    }

    private static readonly Gen<string> CookieHeaders = Gen.OneOf(
        Gen.String[0, 300].Select(s => "mysessionid=" + s),
        Gen.Char['\0', '\u00ff'].Array[0, 200].Select(a => "mysessionid=" + new string(a)),
        Gen.String[0, 40].Array[1, 60].Select(values => string.Join("; ", values.Select(v => "mysessionid=" + v))),
        Gen.String[0, 9000],
        Gen.Char['\0', '\u001f'].Array[0, 50].Select(a => new string(a)));

    [Fact]
    public async Task Generated_cookie_headers_never_get_a_5xx()
    {
        var tried = 0;
        await CookieHeaders.SampleAsync(async header =>
        {
            tried++;
            var request = new HttpRequestMessage(HttpMethod.Get, tried % 2 == 0 ? "/secret" : "/examples/overview/set/k/v");
            request.Headers.TryAddWithoutValidation("Cookie", header);
            using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"'{header}' answered {(int)response.StatusCode}");
        }, iter: 2000, threads: 1);
        Assert.Equal(2000, tried);
    }

    [Fact]
    public async Task A_forged_id_gets_a_fresh_session_id()
    {
        using var response = await Client.Get("/secret", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var issued = response.SessionCookie();
        Assert.NotNull(issued);
        Assert.NotEqual("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", issued);
    }

    [Fact]
    public async Task The_id_of_a_destroyed_session_gets_a_fresh_session()
    {
        using var login = await Client.Get("/login");
        var id = login.SessionCookie()!;
        await Client.Get("/logout", id);

        using var response = await Client.Get("/secret", id);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.NotEqual(id, response.SessionCookie());
    }

}
