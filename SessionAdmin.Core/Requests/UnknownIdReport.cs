using Microsoft.Extensions.Logging;

namespace SessionAdmin.Core.Requests;

/// <summary>
/// One line per sweep interval for the cookies that named no session (forged, expired, destroyed) or could not be read,
/// instead of a warning per request: a flood of forged cookies must not flood the log.
/// </summary>
internal sealed class UnknownIdReport(ILogger logger, TimeProvider time, Func<long> unknownIds, Func<long> malformedCookies)
{
    private long _unknown, _malformed, _since = time.GetTimestamp();

    /// <summary>Logs what arrived since the last report, if anything did.</summary>
    public void Report()
    {
        var (unknown, malformed, now) = (unknownIds(), malformedCookies(), time.GetTimestamp());
        if (unknown > _unknown || malformed > _malformed)
            Log.UnknownIdsReport(logger, time.GetElapsedTime(_since, now).TotalSeconds, unknown - _unknown, malformed - _malformed);
        (_unknown, _malformed, _since) = (unknown, malformed, now);
    }
}
