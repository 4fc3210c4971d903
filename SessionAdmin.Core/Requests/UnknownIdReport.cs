using Microsoft.Extensions.Logging;

namespace SessionAdmin.Core.Requests;

/// <summary>
/// Counts the cookies that named no live session (forged, expired, destroyed) and reports them, with the cookies that
/// could not be read, in one line per sweep interval instead of a warning per request: a flood of forged cookies must
/// not flood the log.
/// </summary>
internal sealed class UnknownIdReport(ILogger logger, TimeProvider time, SessionMetrics metrics, Func<long> malformedCookies)
{
    private long _presented, _unknown, _malformed, _since = time.GetTimestamp();

    /// <summary>How many requests presented an ID the store did not know.</summary>
    public long Presented => Interlocked.Read(ref _presented);

    /// <summary>Counts a request whose cookie named no live session (logged at Debug, by the ID's hash).</summary>
    public void Unknown(string id)
    {
        Interlocked.Increment(ref _presented);
        metrics.UnknownId();
        Log.UnknownSessionId(logger, SessionIds.Hash(id));
    }

    /// <summary>Logs what arrived since the last report, if anything did.</summary>
    public void Report()
    {
        var (unknown, malformed, now) = (Presented, malformedCookies(), time.GetTimestamp());
        if (unknown > _unknown || malformed > _malformed)
            Log.UnknownIdsReport(logger, time.GetElapsedTime(_since, now).TotalSeconds, unknown - _unknown, malformed - _malformed);
        (_unknown, _malformed, _since) = (unknown, malformed, now);
    }
}
