using Microsoft.Extensions.Logging;

namespace SessionAdmin.Core;

/// <summary>
/// What operators read while the store is away: one error line when it starts failing (with the first error), a
/// warning with counts every <see cref="ReportEvery"/> while it stays away, and one line with the outage's totals when
/// it answers again. The failures in between are counted, not logged one by one (a 10-second PostgreSQL restart
/// under load wrote 5 MB of stack traces per node before).
/// </summary>
internal sealed class StoreOutage(ILogger logger, TimeProvider time)
{
    /// <summary>How often a continuing outage is reported.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private volatile bool _down;
    private long _startedAt, _reportedAt, _failedRequests, _failedOperations;

    /// <summary>Whether the last store operation failed (the outage has not ended yet).</summary>
    public bool IsDown => _down;

    /// <summary>A store operation (a commit, a read, a sweep…) failed.</summary>
    public void OperationFailed(string operation, Exception exception)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _failedOperations++;
            if (!_down)
            {
                _down = true;
                _startedAt = _reportedAt = now;
                Log.StoreFailing(logger, operation, exception);
                return;
            }
            if (time.GetElapsedTime(_reportedAt, now) < ReportEvery) return;
            _reportedAt = now;
            Log.StoreStillFailing(logger, time.GetElapsedTime(_startedAt, now).TotalSeconds, _failedRequests, _failedOperations,
                exception.GetBaseException().Message);
        }
    }

    /// <summary>A request was answered 503 because the store failed it (the failure itself is reported by the operation).</summary>
    public void RequestFailed(Exception exception)
    {
        bool opens;
        lock (_gate)
        {
            _failedRequests++;
            opens = !_down;
        }
        // A request can fail on its own (a commit past CommitTimeout while the store still answers others): that opens an outage too.
        if (opens) OperationFailed(exception is TimeoutException ? "commit timeout" : "request", exception);
    }

    /// <summary>A store operation succeeded: ends the outage, if there was one. Free when there was none.</summary>
    public void Succeeded()
    {
        if (!_down) return;
        lock (_gate)
        {
            if (!_down) return;
            _down = false;
            Log.StoreRecovered(logger, time.GetElapsedTime(_startedAt).TotalSeconds, _failedRequests, _failedOperations);
            _failedRequests = _failedOperations = 0;
        }
    }
}
