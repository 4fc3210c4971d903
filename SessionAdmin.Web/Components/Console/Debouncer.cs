namespace SessionAdmin.Web.Components.Console;

/// <summary>Coalesces bursts of live events into one refresh (a login storm must not reload the grid 1000 times).</summary>
public sealed class Debouncer(TimeSpan delay, Func<Task> action) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _pending;

    public void Trigger()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(delay, _disposed.Token);
            Interlocked.Exchange(ref _pending, 0);
            await action();
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
