using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using SessionAdmin.Core;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>The durable stores the store-level tests run against.</summary>
public enum DurableStore { Sqlite, Postgres }

/// <summary>
/// A sessions manager under test with a one-cookie jar, a fake clock and (optionally) a durable store (a SQLite
/// file or a PostgreSQL database of its own) that survives <see cref="RestartAsync"/>. Shared by the Core tests so
/// none repeats host setup.
/// </summary>
public sealed class SessionsHarness : IAsyncDisposable
{
    public const string CookieName = "sid";
    private readonly Action<SessionsConfig>? _configure;
    private readonly TempDatabase? _database;
    private readonly TempPostgresDatabase? _postgres;

    private SessionsHarness(Action<SessionsConfig>? configure, DurableStore? store)
    {
        _configure = configure;
        if (store == DurableStore.Sqlite) _database = new TempDatabase();
        if (store == DurableStore.Postgres) _postgres = Task.Run(PostgresTestServer.CreateDatabaseAsync).GetAwaiter().GetResult();
        Sessions = Create();
    }

    /// <summary>On the in-memory store.</summary>
    public static SessionsHarness Memory(Action<SessionsConfig>? configure = null) => new(configure, null);

    /// <summary>On a fresh database of <paramref name="store"/>.</summary>
    public static SessionsHarness Durable(DurableStore store, Action<SessionsConfig>? configure = null) => new(configure, store);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    public Sessions Sessions { get; private set; }
    public SessionsConfig Config => Sessions.Config;

    /// <summary>The PostgreSQL database's connection string, for tests that act on the server itself (null on other stores).</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    /// <summary>The session cookie value the jar holds (null when none or deleted).</summary>
    public string? Cookie { get; set; }

    /// <summary>One request: the handler runs with the jar's cookie; the jar learns the response's cookie.</summary>
    public async Task<Exchange> RequestAsync(Action<HttpContext, Sessions> handler, string host = "localhost", bool https = false, Sessions? node = null)
    {
        var request = new FakeRequest(Cookie is null ? null : $"{CookieName}={Cookie}", host, https);
        handler(request.Context, node ?? Sessions);
        var exchange = await request.CompleteAsync();
        if (exchange.CookieValue(CookieName) is { } value) Cookie = value.Length == 0 ? null : value;
        return exchange;
    }

    /// <summary>One request that starts the session and hands it to <paramref name="handler"/>.</summary>
    public Task<Exchange> RequestAsync(Action<Session> handler) => RequestAsync((ctx, s) => handler(s.Start(ctx)));

    /// <summary>One request that starts the session and returns what <paramref name="read"/> makes of it.</summary>
    public async Task<T> ReadAsync<T>(Func<Session, T> read) => await ReadOnAsync(Sessions, read);

    /// <summary>The same, served by <paramref name="node"/>: another manager on the same store, as another app node.</summary>
    public async Task<T> ReadOnAsync<T>(Sessions node, Func<Session, T> read)
    {
        T result = default!;
        await RequestAsync((ctx, sessions) => result = read(sessions.Start(ctx)), node: node);
        return result;
    }

    /// <summary>A new manager on the same file, as after a process restart.</summary>
    public async Task RestartAsync()
    {
        await Sessions.DisposeAsync();
        Sessions = Create();
    }

    /// <summary>A second, independent manager on the same file (like another process reading the store).</summary>
    public Sessions OpenSecondManager() => Create();

    private Sessions Create()
    {
        var config = new SessionsConfig { Cookie = CookieName, SweepInterval = TimeSpan.FromHours(1) };
        _configure?.Invoke(config);
        var sessions = new Sessions(config, Time, null);
        if (_database is not null) sessions.UseDatabase(EfSessionDatabase.ForSqlite(_database.ConnectionString));
        if (_postgres is not null) sessions.UseDatabase(EfSessionDatabase.ForPostgres(_postgres.ConnectionString));
        return sessions;
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.DisposeAsync();
        _database?.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
