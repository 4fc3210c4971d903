namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>Waits for something another thread does (an event dispatched, a notification heard), without sleeping a fixed time.</summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/> (default 5 s).</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        var held = condition();
        while (!held && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Xunit.TestContext.Current.CancellationToken);
            held = condition();
        }
        Assert.True(held, "The condition did not hold in time.");
    }

    /// <summary>The same for a condition that asks something (a database, a server) each time.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        var held = await condition();
        while (!held && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Xunit.TestContext.Current.CancellationToken);
            held = await condition();
        }
        Assert.True(held, "The condition did not hold in time.");
    }
}
