namespace SessionAdmin.Web;

/// <summary>
/// Where the app listens. ASP.NET Core's own knobs decide, with their usual precedence: <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> (what the official container images set),
/// <c>Urls</c> in configuration, <c>Kestrel:Endpoints</c>. Only when none is set does the app take the seed's
/// <c>http://localhost:8080</c> (a default in appsettings.json would outrank the environment and hide the app behind a
/// platform that sets the port).
/// </summary>
internal static class ListeningAddresses
{
    public const string Default = "http://localhost:8080";

    public static void UseDefaultAddressWhenNoneIsConfigured(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(config[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(config[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(config[WebHostDefaults.HttpsPortsKey])
            || config.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!configured) builder.WebHost.UseUrls(Default);
    }
}
