using System.Net;
using System.Net.Sockets;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>The published app, started as hosts start it, listens where ASP.NET Core's own settings say.</summary>
public sealed class ListeningAddressTests : IAsyncLifetime
{
    private string _folder = "";

    public async ValueTask InitializeAsync() => _folder = await AppProcess.PublishAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AssertServesAsync(Uri address, Dictionary<string, string> environment)
    {
        await using var app = await AppProcess.StartPublishedAsync(_folder, address, environment);
        using var client = app.Client();

        using var secret = await client.GetAsync("/secret", TestContext.Current.CancellationToken);
        using var styles = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, secret.StatusCode);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
    }

    [Fact]
    public async Task The_published_app_listens_where_ASPNETCORE_URLS_says()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");

        await AssertServesAsync(address, new() { ["ASPNETCORE_URLS"] = address.ToString() });
    }

    [Fact]
    public async Task The_published_app_listens_on_ASPNETCORE_HTTP_PORTS_as_container_images_set_it()
    {
        var port = FreePort();

        await AssertServesAsync(new Uri($"http://127.0.0.1:{port}"), new() { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
