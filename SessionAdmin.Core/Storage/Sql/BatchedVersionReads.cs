namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// Reads sessions' row versions in batches: a request that needs one while a read is running joins the next read,
/// never the running one (that query may have started before the request's client saw another node's change), so
/// each answer is as fresh as a query of the request's own — and under load one query serves every request waiting.
/// On two nodes one query per cached request cost PostgreSQL as much CPU as the node itself.
/// </summary>
/// <remarks>
/// A caller that finds no read running reads on its own thread (no hop when the node is quiet). The batches that
/// follow run on a thread of this object's, never the thread pool: callers of the synchronous Iris API block on their
/// answer, and a burst of them would starve the pool of the very thread that answers them.
/// </remarks>
internal sealed class BatchedVersionReads : IDisposable
{
    private readonly Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, long>> _read;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _more = new(0);
    private Dictionary<string, TaskCompletionSource<long?>> _next = new(StringComparer.Ordinal);
    private bool _reading;
    private volatile bool _disposed;

    /// <param name="read">The versions the store holds for the given IDs (absent: no such session).</param>
    public BatchedVersionReads(Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, long>> read)
    {
        _read = read;
        new Thread(FollowUps) { IsBackground = true, Name = "SessionAdmin version reads" }.Start();
    }

    /// <summary>The row version of <paramref name="id"/> as the store holds it now, or null when it holds no such session.</summary>
    public Task<long?> VersionAsync(string id)
    {
        Task<long?> answer;
        bool lead;
        lock (_gate)
        {
            // Requests for one session in the same batch share its answer.
            if (!_next.TryGetValue(id, out var waiting))
                _next[id] = waiting = new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
            answer = waiting.Task;
            lead = !_reading;
            _reading = true;
        }
        if (lead) ReadBatch();
        return answer;
    }

    private void FollowUps()
    {
        while (true)
        {
            _more.Wait();
            if (_disposed) return;
            ReadBatch();
        }
    }

    // Reads everyone waiting; hands the next batch, if anyone arrived meanwhile, to the follow-up thread.
    private void ReadBatch()
    {
        Dictionary<string, TaskCompletionSource<long?>> batch;
        lock (_gate)
        {
            batch = _next;
            _next = new(StringComparer.Ordinal);
        }
        try
        {
            var versions = _read(batch.Keys);
            foreach (var (id, done) in batch) done.TrySetResult(versions.TryGetValue(id, out var v) ? v : null);
        }
        catch (Exception ex)
        {
            foreach (var done in batch.Values) done.TrySetException(ex);
        }
        lock (_gate)
        {
            if (_next.Count == 0 || _disposed)
            {
                _reading = false;
                return;
            }
        }
        _more.Release();
    }

    public void Dispose()
    {
        _disposed = true;
        _more.Release();
    }
}
