using Microsoft.Extensions.Logging;

namespace SessionAdmin.Core.Commits;

/// <summary>
/// What operators read while the store is away: one error line when it starts failing (with the first error), a
/// warning with counts every <see cref="ReportEvery"/> while it stays away, and one line with the outage's totals once
/// it has answered for <see cref="Quiet"/> without a failure. The failures in between are counted, not logged one by
/// one (a 10-second PostgreSQL restart under load wrote 5 MB of stack traces per node before), and a store that flaps
/// (a nearly full disk: small commits pass, larger ones fail) is one outage, not a pair of lines per flap.
/// </summary>
internal sealed class StoreOutage(ILogger logger, TimeProvider time) : IDisposable
{
    /// <summary>How often a continuing outage is reported.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);

    /// <summary>How long the store must answer without a failure for the outage to be over.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private volatile bool _down, _recovering;
    private long _startedAt, _reportedAt, _answeringSince, _failedRequests, _failedOperations;
    private ITimer? _quietTimer;

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
            if (_recovering)
            {
                _recovering = false;
                _quietTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    /// <summary>A store operation succeeded: the outage, if there was one, ends after <see cref="Quiet"/>. Free when there was none.</summary>
    public void Succeeded()
    {
        if (!_down || _recovering) return;
        lock (_gate)
        {
            if (!_down || _recovering) return;
            _recovering = true;
            _answeringSince = time.GetTimestamp();
            _quietTimer ??= time.CreateTimer(static s => ((StoreOutage)s!).EndIfQuiet(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _quietTimer.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void EndIfQuiet()
    {
        lock (_gate)
        {
            if (!_recovering) return;
            _down = _recovering = false;
            Log.StoreRecovered(logger, time.GetElapsedTime(_startedAt, _answeringSince).TotalSeconds, _failedRequests, _failedOperations,
                Quiet.TotalSeconds);
            _failedRequests = _failedOperations = 0;
        }
    }

    public void Dispose()
    {
        lock (_gate) _quietTimer?.Dispose();
    }
}
