using Microsoft.Extensions.Logging;
using SessionAdmin.Core.Requests;

namespace SessionAdmin.Core;

/// <summary>Every log line of the sessions manager. Session IDs appear only as short hashes.</summary>
internal static partial class Log
{
    // The hot-path lines take the ID and hash it only when the line is written: SHA-256 on every login showed in the profile.
    public static void SessionCreated(ILogger logger, string id)
    {
        if (logger.IsEnabled(LogLevel.Debug)) SessionCreatedCore(logger, SessionIds.Hash(id));
    }

    [LoggerMessage(1, LogLevel.Debug, "Session {SessionHash} created")]
    private static partial void SessionCreatedCore(ILogger logger, string sessionHash);

    // Debug: a flood of forged cookies must not flood the log; the sweep reports how many there were (UnknownIdsReport).
    [LoggerMessage(2, LogLevel.Debug, "Unknown session ID {SessionHash} presented; a new session was started")]
    public static partial void UnknownSessionId(ILogger logger, string sessionHash);

    [LoggerMessage(3, LogLevel.Debug, "Set of immutable key {Key} in session {SessionHash} ignored")]
    public static partial void ImmutableSetIgnored(ILogger logger, string key, string sessionHash);

    [LoggerMessage(4, LogLevel.Error, "Handling a batch of {ItemCount} session commits failed after the store answered")]
    public static partial void CommitFailed(ILogger logger, int itemCount, Exception exception);

    public static void SessionDestroyed(ILogger logger, string id, SessionDestroyReason reason)
    {
        if (logger.IsEnabled(LogLevel.Information)) SessionDestroyedCore(logger, SessionIds.Hash(id), reason);
    }

    [LoggerMessage(5, LogLevel.Information, "Session {SessionHash} destroyed ({Reason})")]
    private static partial void SessionDestroyedCore(ILogger logger, string sessionHash, SessionDestroyReason reason);

    [LoggerMessage(6, LogLevel.Error, "A session destroy listener failed for session {SessionHash}")]
    public static partial void ListenerFailed(ILogger logger, string sessionHash, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Sweep removed {Count} expired or idle sessions")]
    public static partial void Swept(ILogger logger, int count);


    [LoggerMessage(10, LogLevel.Debug, "Malformed session cookie ignored; a new session was started")]
    public static partial void MalformedCookie(ILogger logger);

    public static void Regenerated(ILogger logger, string oldId, string id)
    {
        if (logger.IsEnabled(LogLevel.Information)) RegeneratedCore(logger, SessionIds.Hash(oldId), SessionIds.Hash(id));
    }

    [LoggerMessage(11, LogLevel.Information, "Session {OldSessionHash} regenerated as {SessionHash}")]
    private static partial void RegeneratedCore(ILogger logger, string oldSessionHash, string sessionHash);

    [LoggerMessage(13, LogLevel.Warning,
        "The channel to the other nodes broke ({Error}); reconnecting in {DelayMs} ms. Meanwhile each request checks its session against the store")]
    public static partial void PeerChannelBroken(ILogger logger, string error, double delayMs);

    [LoggerMessage(18, LogLevel.Debug, "The channel to the other nodes is still broken ({Error}); next attempt in {DelayMs} ms")]
    public static partial void PeerChannelStillBroken(ILogger logger, string error, double delayMs);

    [LoggerMessage(19, LogLevel.Information, "Listening to the other nodes again after {Seconds:0.00} s")]
    public static partial void PeerChannelRestored(ILogger logger, double seconds);

    [LoggerMessage(15, LogLevel.Error, "The session store is failing ({Operation}); requests that need it answer 503 until it answers again")]
    public static partial void StoreFailing(ILogger logger, string operation, Exception exception);

    [LoggerMessage(16, LogLevel.Warning,
        "The session store is still failing after {Seconds:0} s: {FailedRequests} requests answered 503, {FailedOperations} store operations failed (last error: {LastError})")]
    public static partial void StoreStillFailing(ILogger logger, double seconds, long failedRequests, long failedOperations, string lastError);

    [LoggerMessage(17, LogLevel.Warning,
        "The session store answers again: it failed for {Seconds:0.0} s ({FailedRequests} requests answered 503, {FailedOperations} store operations failed) and has answered for {QuietSeconds:0} s since")]
    public static partial void StoreRecovered(ILogger logger, double seconds, long failedRequests, long failedOperations, double quietSeconds);

    [LoggerMessage(20, LogLevel.Information,
        "Since the last sweep {Seconds:0} s ago, {UnknownIds} requests presented a session ID the store does not know (forged, expired or destroyed) and {MalformedCookies} a malformed session cookie; each got a new session")]
    public static partial void UnknownIdsReport(ILogger logger, double seconds, long unknownIds, long malformedCookies);

    [LoggerMessage(14, LogLevel.Debug, "Heard {Count} session changes from another node, {DelayMs:0.###} ms after its commit")]
    public static partial void PeerChanges(ILogger logger, int count, double delayMs);
}
