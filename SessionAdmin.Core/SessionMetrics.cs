using System.Diagnostics.Metrics;

namespace SessionAdmin.Core;

/// <summary>
/// The manager's instruments on the <c>SessionAdmin.Sessions</c> meter (watch with
/// <c>dotnet-counters monitor --counters SessionAdmin.Sessions</c>).
/// </summary>
public sealed class SessionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SessionAdmin.Sessions";

    private readonly Meter _meter;
    private readonly Counter<long> _created;
    private readonly Counter<long> _destroyed;
    private readonly Counter<long> _unknownIds;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _peerDelay;

    /// <summary>Creates the instruments; <paramref name="activeSessions"/> is read when a listener collects.</summary>
    public SessionMetrics(IMeterFactory? meterFactory, Func<long> activeSessions)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _created = _meter.CreateCounter<long>("sessionadmin.sessions.created", "{session}", "Sessions created");
        _destroyed = _meter.CreateCounter<long>("sessionadmin.sessions.destroyed", "{session}", "Sessions destroyed, by reason");
        _unknownIds = _meter.CreateCounter<long>("sessionadmin.sessions.unknown_ids", "{request}", "Requests presenting an unknown session ID");
        _commitDuration = _meter.CreateHistogram<double>("sessionadmin.sessions.commit.duration", "ms", "Time of one group commit");
        _peerDelay = _meter.CreateHistogram<double>("sessionadmin.sessions.peer.delay", "ms",
            "From another node's commit until this node heard of it (its cached copies invalidated)");
        _meter.CreateObservableGauge("sessionadmin.sessions.active", activeSessions, "{session}", "Live sessions in the store");
    }

    internal void Created() => _created.Add(1);
    internal void Destroyed(SessionDestroyReason reason) => _destroyed.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
    internal void UnknownId() => _unknownIds.Add(1);
    internal void Committed(TimeSpan duration) => _commitDuration.Record(duration.TotalMilliseconds);
    internal void PeerChangeHeard(TimeSpan delay) => _peerDelay.Record(delay.TotalMilliseconds);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
