using System.Diagnostics;

namespace SessionAdmin.Web.Components.Console;

/// <summary>
/// When a live view reloads after events: once the events of <c>delay</c> are gathered while things are calm; under a
/// storm (more than <c>stormEvents</c> since the last load) at most every <c>stormInterval</c>, so the cost of watching
/// stays bounded however fast sessions come. Measured with bench/watchers.sh: reloading every second under a storm,
/// ten tabs on the sessions page added about 30 % of server CPU per login.
/// </summary>
public sealed class LiveRefresh(TimeSpan delay, TimeSpan stormInterval, int stormEvents, Func<Task> reload) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _pending, _events;
    private long _loadedAt = Stopwatch.GetTimestamp();

    /// <summary>Events since the view was last loaded.</summary>
    public int EventsSinceLoad => Volatile.Read(ref _events);

    /// <summary>An event the view has not shown yet.</summary>
    public void Event()
    {
        Interlocked.Increment(ref _events);
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = RunAsync();
    }

    /// <summary>The view was (re)loaded: what came before is shown.</summary>
    public void Loaded()
    {
        Interlocked.Exchange(ref _events, 0);
        Interlocked.Exchange(ref _loadedAt, Stopwatch.GetTimestamp());
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(delay, _disposed.Token);
            var rest = stormInterval - Stopwatch.GetElapsedTime(Interlocked.Read(ref _loadedAt));
            if (EventsSinceLoad > stormEvents && rest > TimeSpan.Zero) await Task.Delay(rest, _disposed.Token);
            Interlocked.Exchange(ref _pending, 0);
            await reload();
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
