using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>The real Web app, in process, on a SQLite file of the test's own (shared by restarts).</summary>
public sealed class WebAppFactory(TempDatabase database, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    public const string CookieName = "mysessionid";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sessions", database.ConnectionString);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Admin:OperatorsFile", database.FilePath + ".operators.json");
        configure?.Invoke(builder);
    }

    /// <summary>A client that neither follows redirects nor keeps cookies: tests send cookies themselves.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}

/// <summary>Cookie helpers for raw HTTP exchanges.</summary>
public static class HttpCookies
{
    public static string? SessionCookie(this HttpResponseMessage response, string name = WebAppFactory.CookieName)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values)) return null;
        return values.Where(v => v.StartsWith(name + "=", StringComparison.Ordinal))
                     .Select(v => v[(name.Length + 1)..].Split(';')[0])
                     .LastOrDefault();
    }

    public static HttpRequestMessage WithCookie(this HttpRequestMessage request, string? cookie, string name = WebAppFactory.CookieName)
    {
        if (cookie is not null) request.Headers.TryAddWithoutValidation("Cookie", $"{name}={cookie}");
        return request;
    }

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path, string? cookie = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithCookie(cookie), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> Head(this HttpClient client, string path) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), TestContext.Current.CancellationToken);

    public static async Task<string> BodyAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}
