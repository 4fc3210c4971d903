using Microsoft.Extensions.Logging;

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

    [LoggerMessage(2, LogLevel.Warning, "Unknown session ID {SessionHash} presented; a new session was started")]
    public static partial void UnknownSessionId(ILogger logger, string sessionHash);

    [LoggerMessage(3, LogLevel.Debug, "Set of immutable key {Key} in session {SessionHash} ignored")]
    public static partial void ImmutableSetIgnored(ILogger logger, string key, string sessionHash);

    [LoggerMessage(4, LogLevel.Error, "Session commit of {WriteCount} writes failed")]
    public static partial void CommitFailed(ILogger logger, int writeCount, Exception exception);

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

    [LoggerMessage(8, LogLevel.Error, "Session sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Error, "The request's session changes could not be committed; answering 503")]
    public static partial void RequestCommitFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Malformed session cookie ignored; a new session was started")]
    public static partial void MalformedCookie(ILogger logger);

    public static void Regenerated(ILogger logger, string oldId, string id)
    {
        if (logger.IsEnabled(LogLevel.Information)) RegeneratedCore(logger, SessionIds.Hash(oldId), SessionIds.Hash(id));
    }

    [LoggerMessage(11, LogLevel.Information, "Session {OldSessionHash} regenerated as {SessionHash}")]
    private static partial void RegeneratedCore(ILogger logger, string oldSessionHash, string sessionHash);

    [LoggerMessage(12, LogLevel.Error, "Destroying session {SessionHash} failed")]
    public static partial void DestroyFailed(ILogger logger, string sessionHash, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The channel to the other nodes broke; cached sessions dropped, reconnecting in {DelayMs} ms")]
    public static partial void PeerChannelBroken(ILogger logger, double delayMs, Exception exception);

    [LoggerMessage(14, LogLevel.Debug, "Heard {Count} session changes from another node, {DelayMs:0.###} ms after its commit")]
    public static partial void PeerChanges(ILogger logger, int count, double delayMs);
}
