using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// An outage of the store, as the operator reads it in the log: one error line when it starts, a warning with counts
/// while it lasts, one line with the totals when it ends; never a line per failed request.
/// </summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    private readonly FakeLogCollector _log = new();
    private readonly FakeTimeProvider _time = new();
    private readonly OutageDatabase _store = new();
    private readonly Sessions _sessions;

    public StoreOutageTests()
    {
        var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_log)));
        _sessions = new Sessions(new SessionsConfig { Cookie = "sid", SweepInterval = TimeSpan.FromHours(1) }, _time, loggers);
        _sessions.UseDatabase(_store);
    }

    private async Task<int> LoginAsync(string? cookie = null)
    {
        var request = new FakeRequest(cookie is null ? null : $"sid={cookie}");
        await _sessions.Handler()(ctx => { Sessions.Get(ctx)!.Set("user", "ada"); return Task.CompletedTask; })(request.Context);
        return (await request.CompleteAsync()).Status;
    }

    private IReadOnlyList<FakeLogRecord> Lines(LogLevel level) =>
        _log.GetSnapshot().Where(r => r.Level == level && r.Category == typeof(Sessions).FullName).ToList();

    private static string? Property(FakeLogRecord record, string name) =>
        record.StructuredState?.FirstOrDefault(kv => kv.Key == name).Value;

    [Fact]
    public async Task Two_hundred_failed_commits_write_one_error_line()
    {
        _store.Failing = true;

        for (var i = 0; i < 200; i++) Assert.Equal(503, await LoginAsync());

        var error = Assert.Single(Lines(LogLevel.Error));
        Assert.Equal("commit", Property(error, "Operation"));
        Assert.IsType<IOException>(error.Exception);
    }

    [Fact]
    public async Task A_failed_read_is_reported_as_a_read()
    {
        _store.Failing = true;

        Assert.Equal(503, await LoginAsync(cookie: "someone-who-was-here"));

        Assert.Equal("read", Property(Assert.Single(Lines(LogLevel.Error)), "Operation"));
    }

    [Fact]
    public async Task The_end_of_an_outage_is_one_line_with_its_counts()
    {
        _store.Failing = true;
        for (var i = 0; i < 20; i++) await LoginAsync();
        _time.Advance(TimeSpan.FromSeconds(12));
        _store.Failing = false;

        Assert.Equal(200, await LoginAsync());
        Assert.Equal(200, await LoginAsync());
        Assert.Empty(Lines(LogLevel.Warning));
        _time.Advance(StoreOutage.Quiet);

        var recovered = Assert.Single(Lines(LogLevel.Warning));
        Assert.Equal(("20", "20", "12"), (Property(recovered, "FailedRequests"), Property(recovered, "FailedOperations"), Property(recovered, "Seconds")));
    }

    [Fact]
    public async Task A_store_that_flaps_is_one_outage()
    {
        for (var flap = 0; flap < 10; flap++)
        {
            _store.Failing = flap % 2 == 0;
            await LoginAsync();
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        _time.Advance(StoreOutage.Quiet);

        Assert.Single(Lines(LogLevel.Error));
        Assert.Equal("5", Property(Assert.Single(Lines(LogLevel.Warning)), "FailedRequests"));
    }

    [Fact]
    public async Task A_long_outage_is_reported_every_thirty_seconds()
    {
        _store.Failing = true;
        for (var second = 0; second < 95; second++)
        {
            await LoginAsync();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var reports = Lines(LogLevel.Warning);
        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.Equal("disk is gone", Property(r, "LastError")));
    }

    [Fact]
    public async Task A_healthy_store_logs_no_outage()
    {
        for (var i = 0; i < 20; i++) Assert.Equal(200, await LoginAsync());

        Assert.Empty(Lines(LogLevel.Error));
        Assert.Empty(Lines(LogLevel.Warning));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _sessions.DisposeAsync();

    /// <summary>The in-memory store, failing every operation while <see cref="Failing"/> is set.</summary>
    private sealed class OutageDatabase : ISessionDatabase
    {
        private readonly MemorySessionDatabase _inner = new();
        public volatile bool Failing;

        private Task<T> Guard<T>(Func<Task<T>> operation) => Failing ? Task.FromException<T>(new IOException("disk is gone")) : operation();

        public Task<StoredSession?> LoadAsync(string id, CancellationToken ct) => Guard(() => _inner.LoadAsync(id, ct));
        public Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken ct) =>
            Guard(() => _inner.CommitAsync(writes, ct));
        public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken ct) =>
            Guard(() => _inner.SweepAsync(nowUtc, batchSize, ct));
        public Task<long> CountAsync(DateTime nowUtc, CancellationToken ct) => Guard(() => _inner.CountAsync(nowUtc, ct));
        public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken ct) =>
            Guard(() => _inner.DeleteAllAsync(nowUtc, actor, batchSize, ct));
        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
