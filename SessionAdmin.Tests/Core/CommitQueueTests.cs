using Microsoft.Extensions.Logging.Abstractions;
using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core;

namespace SessionAdmin.Tests.Core;

/// <summary>The single writer: its shutdown and its failures never leave a caller waiting.</summary>
public sealed class CommitQueueTests
{
    // A guard against hanging the run, not a performance figure.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(30);

    private static CommitQueue Queue(ISessionDatabase db, Action<List<(string Id, bool Created)>, TimeSpan>? onCommitted = null) =>
        new(() => db, _ => { }, _ => { }, onCommitted ?? ((_, _) => { }), _ => { }, NullLogger.Instance, new StoreOutage(NullLogger.Instance, TimeProvider.System), TimeSpan.FromSeconds(10));

    private static SessionWrite Delete(int i) => new($"id-{i}") { Delete = true, DestroyReason = SessionDestroyReason.DestroyedByID };

    [Fact]
    public async Task Writes_racing_the_shutdown_are_each_committed_or_refused()
    {
        await using var db = new MemorySessionDatabase();
        var queue = Queue(db);
        var writers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            Enumerable.Range(0, 500).Select(i => queue.WriteAsync([], Delete(t * 1_000 + i))).ToList())).ToList();

        await queue.DisposeAsync();
        var writes = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();
        await Task.WhenAll(writes).WaitAsync(NoHang, TestContext.Current.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully || w.Exception?.InnerException is SessionStoreException,
            $"a write ended {w.Status}: {w.Exception?.InnerException?.Message}"));
    }

    [Fact]
    public async Task A_write_after_the_shutdown_is_refused()
    {
        await using var db = new MemorySessionDatabase();
        var queue = Queue(db);
        await queue.DisposeAsync();

        await Assert.ThrowsAsync<SessionStoreException>(() => queue.WriteAsync([], Delete(1)).WaitAsync(NoHang, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_failing_commit_callback_fails_its_batch_and_the_writer_goes_on()
    {
        await using var db = new MemorySessionDatabase();
        var calls = 0;
        await using var queue = Queue(db, (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("listener bug");
        });

        await Assert.ThrowsAsync<SessionStoreException>(() => queue.WriteAsync([], Delete(1)).WaitAsync(NoHang, TestContext.Current.CancellationToken));
        var results = await queue.WriteAsync([], Delete(2)).WaitAsync(NoHang, TestContext.Current.CancellationToken);

        Assert.Equal([SessionWriteOutcome.SessionMissing], results.Select(r => r.Outcome));
    }
}
