using System.Diagnostics;
using Npgsql;
using SessionAdmin.Core;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>
/// The PostgreSQL server the tests run the store against: <c>SESSIONADMIN_TEST_POSTGRES</c>, or the throwaway
/// loopback cluster <c>scripts/postgres.sh</c> starts. Every test gets a database of its own, copied from one
/// migrated template (a copy takes milliseconds, migrating each would take far longer).
/// </summary>
public static class PostgresTestServer
{
    private static readonly Lazy<string> Server = new(FindServer);
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>The server's maintenance connection string (database <c>postgres</c>).</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A fresh, migrated database; dropped when disposed.</summary>
    public static async Task<TempPostgresDatabase> CreateDatabaseAsync()
    {
        var template = await Template.Value;
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return new TempPostgresDatabase(name, ConnectionStringFor(name));
    }

    internal static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    internal static async Task ExecuteAsync(string sql)
    {
        // Not pooled: CREATE/DROP DATABASE must not leave sessions on the databases they copy or drop.
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"tpl_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {name}");
        var cs = new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
        await EfSessionDatabase.ForPostgres(cs).DisposeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").GetAwaiter().GetResult(); } catch (NpgsqlException) { }
        };
        return name;
    }

    private static string FindServer()
    {
        if (Environment.GetEnvironmentVariable("SESSIONADMIN_TEST_POSTGRES") is { Length: > 0 } configured) return configured;
        var script = Path.Combine(AppProcess.RepositoryRoot(), "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres.sh could not start PostgreSQL (exit {process.ExitCode}): {errors}");
        return output.Trim();
    }
}

/// <summary>A database of one test's own on the test server.</summary>
public sealed class TempPostgresDatabase(string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        // FORCE ends the sessions the test's pools still hold.
        await PostgresTestServer.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
