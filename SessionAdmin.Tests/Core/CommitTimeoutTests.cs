using System.Diagnostics;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Sessions:CommitTimeout: a response waits that long for its commit, then answers 503; the change is not dropped.</summary>
public sealed class CommitTimeoutTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);
    // A guard against hanging the run, not a performance figure.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(30);

    private readonly StalledDatabase _store = new();
    private readonly Sessions _sessions = new(new SessionsConfig { Cookie = "sid", CommitTimeout = Timeout });

    public CommitTimeoutTests() => _sessions.UseDatabase(_store);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _store.Resume();
        await _sessions.DisposeAsync();
    }

    private async Task<(int Status, TimeSpan Took, string Id)> LoginAsync()
    {
        var request = new FakeRequest();
        var session = _sessions.Start(request.Context);
        session.Set("user", "ada");
        var watch = Stopwatch.StartNew();
        var exchange = await request.CompleteAsync().WaitAsync(NoHang, TestContext.Current.CancellationToken);
        return (exchange.Status, watch.Elapsed, session.ID);
    }

    [Fact]
    public async Task A_commit_the_store_does_not_finish_in_time_answers_503_once_the_timeout_has_passed()
    {
        _store.Stall();

        var (status, took, _) = await LoginAsync();

        Assert.Equal(503, status);
        Assert.True(took >= Timeout - TimeSpan.FromMilliseconds(15), $"gave up after {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Every_waiting_response_times_out_not_only_the_oldest()
    {
        _store.Stall();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(LoginAsync, TestContext.Current.CancellationToken)));

        Assert.All(statuses, s => Assert.Equal(503, s.Status));
    }

    [Fact]
    public async Task A_commit_that_timed_out_is_still_written_when_the_store_resumes()
    {
        _store.Stall();
        var (_, _, id) = await LoginAsync();

        _store.Resume();

        var stored = await _store.WaitForAsync(id).WaitAsync(NoHang, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task A_store_that_answers_in_time_is_not_timed_out()
    {
        var (status, _, _) = await LoginAsync();

        Assert.Equal(200, status);
    }

    /// <summary>An in-memory store whose commits can be held back.</summary>
    private sealed class StalledDatabase : ISessionDatabase
    {
        private readonly MemorySessionDatabase _inner = new();
        private volatile TaskCompletionSource _gate = Open();

        private static TaskCompletionSource Open()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }

        public void Stall() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _gate.TrySetResult();

        public async Task<StoredSession?> WaitForAsync(string id)
        {
            while (true)
            {
                if (await _inner.LoadAsync(id, CancellationToken.None) is { } stored) return stored;
                await Task.Delay(10);
            }
        }

        public Task<StoredSession?> LoadAsync(string id, CancellationToken ct) => _inner.LoadAsync(id, ct);

        public async Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken ct)
        {
            await _gate.Task;
            return await _inner.CommitAsync(writes, ct);
        }

        public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken ct) => _inner.SweepAsync(nowUtc, batchSize, ct);
        public Task<long> CountAsync(DateTime nowUtc, CancellationToken ct) => _inner.CountAsync(nowUtc, ct);
        public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken ct) =>
            _inner.DeleteAllAsync(nowUtc, actor, batchSize, ct);
        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
