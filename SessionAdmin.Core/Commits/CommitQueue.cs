using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Commits;

/// <summary>
/// The single writer (group commit): every change waiting at a moment goes to the store in one transaction,
/// so throughput grows with concurrency instead of queueing one transaction per request. The writer is a thread of
/// its own: woken by the operating system when work arrives, it does not wait in the thread pool's queue behind the
/// very requests that are waiting for it. A response's commit may wait at most the commit timeout; one timer watches all
/// of those waits (instead of a timer and a promise per request).
/// </summary>
internal sealed class CommitQueue : IAsyncDisposable
{
    private const int MaxItemsPerBatch = 512;

    private sealed class Pending(SessionState[] flush, SessionWrite[] writes, Func<ISessionDatabase, CancellationToken, Task>? job,
        long deadline = long.MaxValue)
    {
        public readonly SessionState[] Flush = flush;
        public readonly SessionWrite[] Writes = writes;
        public readonly Func<ISessionDatabase, CancellationToken, Task>? Job = job;
        /// <summary>When the waiter gives up (<see cref="Stopwatch"/> ticks); long.MaxValue: it waits as long as it takes.</summary>
        public readonly long Deadline = deadline;
        public readonly TaskCompletionSource<IReadOnlyList<SessionWriteResult>> Done =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly ConcurrentQueue<Pending> _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    // 1 while a wake-up is owed or the writer is busy: only the first enqueue after the writer went idle signals it.
    private int _wakeRequested;
    private volatile bool _closed, _stopping;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<ISessionDatabase> _database;
    private readonly Action<SessionState> _onVanished;
    private readonly Action<SessionState> _onStale;
    private readonly Action<List<(string Id, bool Created)>, TimeSpan> _onCommitted;
    private readonly Action<List<ExpiredSession>> _onEvicted;
    private readonly PrincipalLimit? _limit;
    private readonly ILogger _logger;
    private readonly StoreOutage _outage;
    private readonly TimeSpan _commitTimeout;
    private readonly long _commitTimeoutStopwatchTicks;
    private readonly ITimer _deadlines;
    // The batch the writer is running, for the deadline check (null while idle).
    private volatile Pending[]? _running;

    /// <param name="database">The store in use (read per batch, as UseDatabase may replace it).</param>
    /// <param name="onVanished">Called for a flushed session the store no longer has (destroyed elsewhere).</param>
    /// <param name="onStale">Called for a flushed session another node wrote to meanwhile (the copy is behind the store).</param>
    /// <param name="onCommitted">Called after each durable batch with the sessions it flushed, and how long it took.</param>
    /// <param name="onEvicted">Called after a durable batch with the sessions the store removed for a principal's limit.</param>
    /// <param name="logger">Where a failing callback is reported.</param>
    /// <param name="outage">Where store failures are reported (once per outage).</param>
    /// <param name="commitTimeout">How long <see cref="FlushWithinTimeoutAsync"/> waits (Sessions:CommitTimeout).</param>
    /// <param name="limit">The session limit per principal, enforced by the store for each write that gives a session a principal.</param>
    public CommitQueue(Func<ISessionDatabase> database, Action<SessionState> onVanished, Action<SessionState> onStale,
        Action<List<(string Id, bool Created)>, TimeSpan> onCommitted, Action<List<ExpiredSession>> onEvicted, ILogger logger,
        StoreOutage outage, TimeSpan commitTimeout, PrincipalLimit? limit = null)
    {
        _commitTimeout = commitTimeout;
        _commitTimeoutStopwatchTicks = (long)Math.Min(commitTimeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);
        // A wait ends within the timeout and a tenth of it (between 10 ms and 1 s later).
        var tick = TimeSpan.FromTicks(Math.Clamp(commitTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _deadlines = TimeProvider.System.CreateTimer(static q => ((CommitQueue)q!).TimeOutOverdue(), this, tick, tick);
        _onEvicted = onEvicted;
        _limit = limit;
        _database = database;
        _onVanished = onVanished;
        _onStale = onStale;
        _onCommitted = onCommitted;
        _logger = logger;
        _outage = outage;
        new Thread(Run) { IsBackground = true, Name = "SessionAdmin commit writer" }.Start();
    }

    /// <summary>Completes when the state's changes up to <paramref name="version"/> are durable.</summary>
    public Task FlushAsync(SessionState state, long version) =>
        state.IsDurable(version) ? Task.CompletedTask : Enqueue(new Pending([state], [], null));

    /// <summary>
    /// As <see cref="FlushAsync"/>, failing with a <see cref="TimeoutException"/> once the commit timeout has passed
    /// (the changes are still written when the writer gets to them).
    /// </summary>
    public Task FlushWithinTimeoutAsync(SessionState state, long version) =>
        state.IsDurable(version) ? Task.CompletedTask
            : Enqueue(new Pending([state], [], null, Stopwatch.GetTimestamp() + _commitTimeoutStopwatchTicks));

    /// <summary>Writes the given sessions' changes and the extra writes in one transaction.</summary>
    public Task<IReadOnlyList<SessionWriteResult>> WriteAsync(SessionState[] flush, params SessionWrite[] writes) =>
        Enqueue(new Pending(flush, writes, null));

    /// <summary>Runs a store operation alone, in order with the writes.</summary>
    public Task RunAsync(Func<ISessionDatabase, CancellationToken, Task> job) => Enqueue(new Pending([], [], job));

    private Task<IReadOnlyList<SessionWriteResult>> Enqueue(Pending pending)
    {
        if (_closed)
        {
            pending.Done.TrySetException(ShutDown());
            return pending.Done.Task;
        }
        _pending.Enqueue(pending);
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0) _wake.Release();
        // Raced a shutdown past the writer's last look: fail it here (either this or the writer sees it).
        if (_stopping) FailLeftovers();
        return pending.Done.Task;
    }

    private static SessionStoreException ShutDown() => new("The sessions manager is shut down.");

    private void Run()
    {
        var batch = new List<Pending>();
        while (true)
        {
            while (batch.Count < MaxItemsPerBatch && _pending.TryPeek(out var next))
            {
                // A job runs alone: it ends the batch before it, and starts its own.
                if (next.Job is not null && batch.Count > 0) break;
                _pending.TryDequeue(out next);
                batch.Add(next!);
                if (next!.Job is not null) break;
            }
            if (batch.Count > 0)
            {
                _running = [.. batch];
                RunBatch(batch);
                _running = null;
                batch.Clear();
                continue;
            }
            if (_closed) break;
            // Idle: owe no wake-up, look once more (an enqueue may have seen the flag still set), then sleep.
            Interlocked.Exchange(ref _wakeRequested, 0);
            if (!_pending.IsEmpty || _closed) continue;
            _wake.Wait();
        }
        _stopping = true;
        Interlocked.MemoryBarrier();
        FailLeftovers();
        _stopped.TrySetResult();
    }

    private void RunBatch(List<Pending> batch)
    {
        try
        {
            // The store's I/O is synchronous (EfSessionDatabase.Run), so these complete on this thread.
            if (batch.Count == 1 && batch[0].Job is { } job) RunJobAsync(batch[0], job).GetAwaiter().GetResult();
            else CommitBatchAsync(batch).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            // A failing callback must not stop the writer: every later commit would wait forever.
            Log.CommitFailed(_logger, batch.Count, ex);
            foreach (var pending in batch) pending.Done.TrySetException(new SessionStoreException("The commit failed.", ex));
        }
    }

    // The writer takes work in order and every timed wait has the same timeout, so the overdue ones are in the running
    // batch or at the head of the queue: the look stops at the first timed wait that is not overdue.
    private void TimeOutOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        if (_running is { } running)
            foreach (var pending in running) TimeOutIfOverdue(pending, now);
        foreach (var pending in _pending)
        {
            if (pending.Deadline == long.MaxValue) continue;
            if (!TimeOutIfOverdue(pending, now)) break;
        }
    }

    private bool TimeOutIfOverdue(Pending pending, long now)
    {
        if (pending.Deadline > now) return false;
        pending.Done.TrySetException(new TimeoutException($"The session store did not commit within {_commitTimeout} (Sessions:CommitTimeout)."));
        return true;
    }

    private void FailLeftovers()
    {
        while (_pending.TryDequeue(out var late)) late.Done.TrySetException(ShutDown());
    }

    private async Task RunJobAsync(Pending pending, Func<ISessionDatabase, CancellationToken, Task> job)
    {
        try
        {
            await job(_database(), CancellationToken.None).ConfigureAwait(false);
            _outage.Succeeded();
            pending.Done.TrySetResult([]);
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var writes = new List<SessionWrite>();
        var flushed = new List<(SessionState State, long Version, int Index)>();
        var taken = new HashSet<SessionState>(ReferenceEqualityComparer.Instance);
        // Where each item's own writes start in the batch, recorded as the batch is assembled.
        var starts = new int[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var pending = batch[b];
            foreach (var state in pending.Flush)
            {
                if (!taken.Add(state)) continue;
                var write = state.TakeWrite(_limit, out var version);
                if (write is null) continue;
                flushed.Add((state, version, writes.Count));
                writes.Add(write);
            }
            starts[b] = writes.Count;
            writes.AddRange(pending.Writes);
        }

        IReadOnlyList<SessionWriteResult> results = [];
        Exception? failure = null;
        var started = Stopwatch.GetTimestamp();
        if (writes.Count > 0)
        {
            try
            {
                results = await _database().CommitAsync(writes, CancellationToken.None).ConfigureAwait(false);
                _outage.Succeeded();
            }
            catch (Exception ex)
            {
                _outage.OperationFailed("commit", ex);
                failure = ex;
            }
        }

        var committed = new List<(string Id, bool Created)>(flushed.Count);
        foreach (var (state, version, index) in flushed)
        {
            if (failure is not null) { state.MarkLost(); _onVanished(state); continue; }
            if (!state.MarkDurable(version, results[index].RowVersion)) _onStale(state);
            if (results[index].Outcome == SessionWriteOutcome.SessionMissing) _onVanished(state);
            else committed.Add((state.Id, writes[index].Insert is not null));
        }
        if (failure is null && writes.Count > 0)
        {
            _onCommitted(committed, Stopwatch.GetElapsedTime(started));
            if (results.Any(r => r.Evicted is not null)) _onEvicted(results.Where(r => r.Evicted is not null).SelectMany(r => r.Evicted!).ToList());
        }

        for (var b = 0; b < batch.Count; b++)
        {
            var pending = batch[b];
            if (failure is not null)
            {
                pending.Done.TrySetException(new SessionStoreException("The session store could not commit the changes.", failure));
                continue;
            }
            // A flushed state that was already lost (an earlier failed commit) cannot be made durable any more.
            if (pending.Flush.Any(s => s.Lost))
            {
                pending.Done.TrySetException(new SessionStoreException("The session's earlier changes were not committed."));
                continue;
            }
            pending.Done.TrySetResult(pending.Writes.Length == 0 ? [] : results.Skip(starts[b]).Take(pending.Writes.Length).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _deadlines.Dispose();
        _closed = true;
        _wake.Release();
        // The semaphore is not disposed: an enqueue racing the shutdown may still release it (and then fails its item).
        await _stopped.Task.ConfigureAwait(false);
    }
}
