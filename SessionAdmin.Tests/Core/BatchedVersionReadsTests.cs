using System.Collections.Concurrent;
using SessionAdmin.Core.Storage.Sql;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// The row-version check behind every cached request on several nodes: batched, yet as fresh as a query of the
/// request's own.
/// </summary>
public sealed class BatchedVersionReadsTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_request_arriving_during_a_read_is_answered_by_the_next_read_not_the_running_one()
    {
        using var firstReadStarted = new ManualResetEventSlim();
        using var releaseFirstRead = new ManualResetEventSlim();
        var version = 1L;
        var reads = 0;
        using var versions = new BatchedVersionReads(ids =>
        {
            // A query sees the store as it was when it began.
            var seen = Interlocked.Read(ref version);
            if (Interlocked.Increment(ref reads) == 1)
            {
                firstReadStarted.Set();
                releaseFirstRead.Wait(NoHang);
            }
            return ids.ToDictionary(id => id, _ => seen);
        });

        var first = Task.Run(() => versions.VersionAsync("s").GetAwaiter().GetResult(), TestContext.Current.CancellationToken);
        Assert.True(firstReadStarted.Wait(NoHang, TestContext.Current.CancellationToken));
        // Another node commits, its client then asks this node: the read under way began before that commit.
        Interlocked.Exchange(ref version, 2);
        var second = versions.VersionAsync("s");
        releaseFirstRead.Set();

        Assert.Equal(1, await first.WaitAsync(NoHang, TestContext.Current.CancellationToken));
        Assert.Equal(2, await second.WaitAsync(NoHang, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Requests_waiting_on_a_running_read_share_one_next_read()
    {
        using var firstReadStarted = new ManualResetEventSlim();
        using var releaseFirstRead = new ManualResetEventSlim();
        var batches = new ConcurrentQueue<int>();
        using var versions = new BatchedVersionReads(ids =>
        {
            batches.Enqueue(ids.Count);
            if (batches.Count == 1)
            {
                firstReadStarted.Set();
                releaseFirstRead.Wait(NoHang);
            }
            return ids.ToDictionary(id => id, _ => 7L);
        });

        var first = Task.Run(() => versions.VersionAsync("s0").GetAwaiter().GetResult(), TestContext.Current.CancellationToken);
        Assert.True(firstReadStarted.Wait(NoHang, TestContext.Current.CancellationToken));
        var waiting = Enumerable.Range(1, 50).Select(i => versions.VersionAsync($"s{i % 10}")).ToList();
        releaseFirstRead.Set();
        await Task.WhenAll(waiting).WaitAsync(NoHang, TestContext.Current.CancellationToken);
        await first.WaitAsync(NoHang, TestContext.Current.CancellationToken);

        // 50 requests on 10 sessions: one read of the 10 IDs after the first.
        Assert.Equal([1, 10], batches);
        Assert.All(waiting, w => Assert.Equal(7, w.Result));
    }

    [Fact]
    public async Task A_session_the_store_does_not_hold_has_no_version()
    {
        using var versions = new BatchedVersionReads(_ => new Dictionary<string, long>());

        Assert.Null(await versions.VersionAsync("gone").WaitAsync(NoHang, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_failed_read_fails_every_request_of_its_batch_and_the_next_read_runs()
    {
        var fail = true;
        using var versions = new BatchedVersionReads(ids => Volatile.Read(ref fail)
            ? throw new InvalidOperationException("store away")
            : ids.ToDictionary(id => id, _ => 3L));

        await Assert.ThrowsAsync<InvalidOperationException>(() => versions.VersionAsync("s").WaitAsync(NoHang, TestContext.Current.CancellationToken));
        Volatile.Write(ref fail, false);
        Assert.Equal(3, await versions.VersionAsync("s").WaitAsync(NoHang, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Callers_blocking_every_pool_thread_are_still_answered()
    {
        // The synchronous Iris API blocks on the answer: follow-up reads must not need a pool thread.
        using var versions = new BatchedVersionReads(ids =>
        {
            // A query's millisecond of work, so that callers pile up behind it.
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 1000;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(100);
            return ids.ToDictionary(id => id, _ => 1L);
        });
        var callers = Enumerable.Range(0, Environment.ProcessorCount * 50)
            .Select(i => Task.Run(() => versions.VersionAsync($"s{i}").GetAwaiter().GetResult()))
            .ToArray();

        var answers = await Task.WhenAll(callers).WaitAsync(NoHang, TestContext.Current.CancellationToken);

        Assert.All(answers, a => Assert.Equal(1, a));
    }
}
