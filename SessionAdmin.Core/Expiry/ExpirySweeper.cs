namespace SessionAdmin.Core.Expiry;

/// <summary>
/// Runs the manager's sweep on its interval for the manager's lifetime (self-starting, so a manager made without DI
/// sweeps too), and recounts the live sessions every tenth run: the running count drifts only through other nodes or
/// lost events. A failing run is reported and the next one runs on time.
/// </summary>
internal sealed class ExpirySweeper : IAsyncDisposable
{
    private const int RecountEvery = 10;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="interval">Time between two runs.</param>
    /// <param name="time">The clock the interval is measured on.</param>
    /// <param name="sweep">One run of the sweep.</param>
    /// <param name="recount">Recounts the live sessions.</param>
    /// <param name="failed">Hears a run that failed.</param>
    public ExpirySweeper(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> sweep, Func<CancellationToken, Task> recount,
        Action<Exception> failed) =>
        _loop = RunAsync(interval, time, sweep, recount, failed, _stopping.Token);

    private static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> sweep, Func<CancellationToken, Task> recount,
        Action<Exception> failed, CancellationToken stopping)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval, time);
        var runs = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await sweep(stopping).ConfigureAwait(false);
                    if (++runs % RecountEvery == 0) await recount(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested) { failed(ex); }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
