using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SessionAdmin.Core.Events;

/// <summary>Runs event handlers on one background reader, so a slow listener never holds up a commit.</summary>
internal sealed class EventDispatcher : IAsyncDisposable
{
    private readonly Channel<Action> _channel = Channel.CreateUnbounded<Action>(new() { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Post(Action action) => _channel.Writer.TryWrite(action);

    private async Task RunAsync()
    {
        await foreach (var action in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try { action(); }
            catch (Exception ex) { Log.ListenerFailed(_logger, "-", ex); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
