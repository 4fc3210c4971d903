using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using SessionAdmin.Core;

namespace SessionAdmin.Bench;

/// <summary>The session hot paths on a real SQLite file; each operation runs as its own request, commit included.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class HotPathBenchmarks
{
    private string _file = "";
    private Sessions _sessions = default!;
    private string _cookie = "";
    private string[] _stored = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _file = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.db");
        _sessions = new Sessions(new SessionsConfig { Cookie = "sid", CacheCapacity = 1_000 });
        _sessions.UseDatabase(EfSessionDatabase.ForSqlite($"Data Source={_file}"));
        _cookie = Request(s => { s.Set("user", "ada"); s.Set("n", 1); });
        // Sessions that live only in the store: the cache holds 1,000, these are 20,000.
        _stored = Enumerable.Range(0, 20_000).Select(_ => Request(s => s.Set("user", "bob"))).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sessions.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }

    [Benchmark(Baseline = true, Description = "Start, cached session")]
    public string StartCached() => Request(s => { }, _cookie);

    [Benchmark(Description = "Start, session only in the store")]
    public string StartUncached() => Request(s => { }, _stored[_next++ % _stored.Length]);

    [Benchmark(Description = "Typed get (GetString + GetInt)")]
    public string TypedGet() => Request(s => { s.GetString("user"); s.GetInt("n"); }, _cookie);

    [Benchmark(Description = "Set + commit")]
    public string SetAndCommit() => Request(s => s.Set("last", _next++), _cookie);

    [Benchmark(Description = "Increment + commit")]
    public string Increment() => Request(s => s.Increment("n", 1), _cookie);

    [Benchmark(Description = "New session (login storm)")]
    public string NewSession() => Request(s => s.Set("authenticated", true));

    [Benchmark(Description = "Login (Start + RegenerateID + Set, as /login)")]
    public string Login()
    {
        var (ctx, response) = NewContext(null);
        _sessions.Start(ctx);
        _sessions.RegenerateID(ctx);
        var session = _sessions.Start(ctx);
        session.Set("authenticated", true);
        response.StartAsync().GetAwaiter().GetResult();
        return session.ID;
    }

    [Benchmark(Description = "Request through the middleware")]
    public async Task<string> ThroughMiddleware()
    {
        var (ctx, response) = NewContext(_cookie);
        await _sessions.Handler()(c => { Sessions.Get(c)!.GetBooleanDefault("authenticated", false); return Task.CompletedTask; })(ctx);
        await response.StartAsync();
        return ctx.Response.Headers.SetCookie.ToString();
    }

    private string Request(Action<Session> handler, string? cookie = null)
    {
        var (ctx, response) = NewContext(cookie);
        var session = _sessions.Start(ctx);
        handler(session);
        response.StartAsync().GetAwaiter().GetResult();
        return session.ID;
    }

    private static (HttpContext, BenchResponse) NewContext(string? cookie)
    {
        var ctx = new DefaultHttpContext();
        var response = new BenchResponse();
        ctx.Features.Set<IHttpResponseFeature>(response);
        if (cookie is not null) ctx.Request.Headers.Cookie = "sid=" + cookie;
        return (ctx, response);
    }

    /// <summary>Runs OnStarting callbacks (the commit) when the response starts, as Kestrel does.</summary>
    private sealed class BenchResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _callbacks = [];
        private bool _started;
        public override bool HasStarted => _started;
        public override void OnStarting(Func<object, Task> callback, object state) => _callbacks.Add((callback, state));

        public async Task StartAsync()
        {
            for (var i = _callbacks.Count - 1; i >= 0; i--) await _callbacks[i].Callback(_callbacks[i].State);
            _started = true;
        }
    }
}
