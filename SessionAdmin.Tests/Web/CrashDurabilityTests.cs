using System.Collections.Concurrent;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Once a response was sent, its session survives a kill -9 of the app and a restart.</summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_login_answered_before_a_kill_9_survives_the_restart()
    {
        using var db = new TempDatabase();
        var answered = new ConcurrentBag<string>();
        var ct = TestContext.Current.CancellationToken;

        await using (var app = await AppProcess.StartAsync(db))
        {
            using var stop = new CancellationTokenSource();
            var storm = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                using var client = app.Client();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.GetAsync("/login", stop.Token);
                        if ((int)response.StatusCode == 200 && response.SessionCookie() is { } cookie) answered.Add(cookie);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        // The kill cuts requests off mid-flight; those never got an answer, so they promise nothing.
                    }
                }
            }, ct)).ToList();

            while (answered.Count < 300) await Task.Delay(20, ct);
            app.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(storm);
        }

        await using var restarted = await AppProcess.StartAsync(db);
        using var checker = restarted.Client();
        var lost = 0;
        foreach (var cookie in answered)
        {
            using var secret = await checker.Get("/secret", cookie);
            if (await secret.BodyAsync() != "The cake is a lie!") lost++;
        }

        output.WriteLine($"checked {answered.Count} sessions after kill -9, lost {lost}");
        Assert.True(answered.Count >= 300);
        Assert.Equal(0, lost);
    }
}
