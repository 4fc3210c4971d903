using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (<c>scripts/postgres.sh</c> on a free port and a data folder of its own), so
/// the test can stop, restart and cut its connections without touching the server the other tests share.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly int _port;
    private readonly string _data;

    private PrivatePostgres(int port, string data)
    {
        _port = port;
        _data = data;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=sessions";
    }

    /// <summary>The sessions database (created by <see cref="StartAsync"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>Starts a new cluster and creates its <c>sessions</c> database.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres(FreePort(), Path.Combine(Path.GetTempPath(), "sessionadmin-pg-private", Guid.NewGuid().ToString("N")));
        await server.StartAgainAsync();
        await server.ExecuteAsync("CREATE DATABASE sessions", database: "postgres");
        return server;
    }

    /// <summary>A fast shutdown, as for a minor upgrade: open transactions are rolled back and every connection is closed.</summary>
    public Task StopAsync() => ScriptAsync("stop");

    /// <summary>Starts the stopped cluster again, on the same port and data.</summary>
    public Task StartAgainAsync() => ScriptAsync();

    /// <summary>Ends every connection to the sessions database (as a pooler or a firewall would) and waits until they are gone; returns how many.</summary>
    public async Task<int> TerminateConnectionsAsync(string? onlyWhereQueryStartsWith = null)
    {
        var filter = onlyWhereQueryStartsWith is null ? "" : $" AND query LIKE '{onlyWhereQueryStartsWith}%'";
        return Convert.ToInt32(await ScalarAsync(
            $"SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = 'sessions' AND pid <> pg_backend_pid(){filter}"));
    }

    /// <summary>How many connections to the sessions database are listening for the nodes' changes.</summary>
    public async Task<int> ListenersAsync() => Convert.ToInt32(await ScalarAsync(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sessions' AND query LIKE 'LISTEN%'"));

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql, string database)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task ScriptAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppProcess.RepositoryRoot(), "scripts", "postgres.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SESSIONADMIN_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SESSIONADMIN_PG_DATA"] = _data;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres.sh {string.Join(' ', args)} failed: {await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
