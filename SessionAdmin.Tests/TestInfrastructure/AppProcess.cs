using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>The built Web app as a child process on a loopback port, so a test can kill it for real.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<AppProcess> StartAsync(TempDatabase database, int? port = null)
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(root, "SessionAdmin.Web", "bin", configuration, "net10.0", "SessionAdmin.Web.dll");
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", address.ToString(), "--contentRoot", Path.Combine(root, "SessionAdmin.Web") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Sessions"] = database.ConnectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, address);
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the app exited with {process.ExitCode}");
            try
            {
                using var response = await probe.GetAsync("/");
                if (response.IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await app.DisposeAsync();
        throw new TimeoutException("the app did not answer within 60 s");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public HttpClient Client() => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(10),
    };

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SessionAdmin.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("SessionAdmin.sln not found above the test output");
    }
}
