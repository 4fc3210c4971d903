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

    private readonly List<string> _output = [];

    /// <summary>Every line of output containing <paramref name="text"/>, from the start.</summary>
    public IReadOnlyList<string> LinesWith(string text)
    {
        lock (_output) return _output.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
    }

    /// <summary>The app's last 200 lines of output, for diagnosing a failure.</summary>
    public string Output { get { lock (_output) return string.Join('\n', _output.TakeLast(200)); } }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    public static Task<AppProcess> StartAsync(TempDatabase database, int? port = null, string environment = "Testing", IDictionary<string, string>? settings = null) =>
        StartAsync(database.ConnectionString, database.FilePath + ".operators.json", port, environment, settings);

    /// <summary>The app on the store <paramref name="connectionString"/> names (SQLite unless settings say <c>Sessions__Store</c>).</summary>
    public static async Task<AppProcess> StartAsync(string connectionString, string operatorsFile, int? port = null, string environment = "Testing",
        IDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        return await LaunchAsync(BuiltApp(connectionString, operatorsFile, address, environment, settings), address);
    }

    /// <summary>Runs the app on <paramref name="database"/> until it exits by itself (a start that must fail); its exit code and output.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Output)> RunToExitAsync(TempDatabase database, IDictionary<string, string>? settings = null)
    {
        var start = BuiltApp(database.ConnectionString, database.FilePath + ".operators.json", new Uri($"http://127.0.0.1:{FreePort()}"), "Testing", settings);
        start.Environment["Serilog__MinimumLevel__Default"] = "Information";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException("the app did not exit within 60 s"); }
        var lines = (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, lines);
    }

    private static ProcessStartInfo BuiltApp(string connectionString, string operatorsFile, Uri address, string environment, IDictionary<string, string>? settings)
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(root, "SessionAdmin.Web", "bin", configuration, "net10.0", "SessionAdmin.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", address.ToString(), "--contentRoot", Path.Combine(root, "SessionAdmin.Web") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Sessions"] = connectionString;
        start.Environment["Admin__OperatorsFile"] = operatorsFile;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// The published app run the way hosts run it: <c>dotnet SessionAdmin.Web.dll</c> from its folder, configured by
    /// <paramref name="environment"/> alone (no command-line address; inherited ASP.NET Core variables are removed).
    /// </summary>
    public static Task<AppProcess> StartPublishedAsync(string publishFolder, Uri expectedAddress, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(publishFolder, "SessionAdmin.Web.dll") },
            WorkingDirectory = publishFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_URLS", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return LaunchAsync(start, expectedAddress);
    }

    /// <summary>Publishes the Web app from its existing build (no rebuild under the other tests' feet) into a new folder.</summary>
    public static async Task<string> PublishAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var folder = Directory.CreateTempSubdirectory("sessionadmin-published-").FullName;
        var publish = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepositoryRoot(), "SessionAdmin.Web"), "-c", configuration, "--no-build", "-o", folder, "-v", "q", "-nologo" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet publish did not start");
        var output = await publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        return publish.ExitCode == 0 ? folder : throw new InvalidOperationException($"dotnet publish failed: {output}");
    }

    private static async Task<AppProcess> LaunchAsync(ProcessStartInfo start, Uri address)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, address);
        process.OutputDataReceived += (_, e) => app.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => app.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

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

    /// <summary>SIGTERM, as a host or an orchestrator stops an app; waits for the exit and returns how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        if (SendSignal(_process.Id, Sigterm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return (_process.ExitCode, Stopwatch.GetElapsedTime(started));
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SessionAdmin.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("SessionAdmin.sln not found above the test output");
    }
}
