using Microsoft.Extensions.Hosting;

namespace SessionAdmin.Core.Expiry;

/// <summary>
/// Runs the manager's sweep on its interval, and recounts the live sessions every tenth run: the running count drifts
/// only through other nodes or lost events. A failing run is reported and the next one runs on time. Under DI the host
/// starts and stops it with the application (<c>AddSessions</c> registers it); a manager made without DI starts it
/// itself, and every manager stops it when disposed.
/// </summary>
internal sealed class ExpirySweeper(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> sweep, Func<CancellationToken, Task> recount,
    Action<Exception> failed) : BackgroundService
{
    private const int RecountEvery = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval, time);
        var runs = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sweep(stoppingToken).ConfigureAwait(false);
                    if (++runs % RecountEvery == 0) await recount(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested) { failed(ex); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
