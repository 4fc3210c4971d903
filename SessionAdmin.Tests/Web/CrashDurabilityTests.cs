using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Once a response was sent, its session survives a kill -9 of the app and a restart.</summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_login_answered_before_a_kill_9_survives_the_restart()
    {
        using var db = new TempDatabase();
        var ct = TestContext.Current.CancellationToken;

        Storm storm;
        await using (var app = await AppProcess.StartAsync(db))
        {
            storm = await Storm.StartAsync(() => [app.BaseAddress], logins: 8, visitors: 0);
            while (storm.AnsweredLogins.Count < 300) await Task.Delay(20, ct);
            // The kill cuts requests off mid-flight; those never got an answer, so they promise nothing.
            app.Kill();
            await storm.StopAsync();
        }

        await using var restarted = await AppProcess.StartAsync(db);
        var lost = await storm.LostLoginsAsync(restarted.BaseAddress);

        output.WriteLine($"checked {storm.AnsweredLogins.Count} sessions after kill -9, lost {lost}");
        Assert.True(storm.AnsweredLogins.Count >= 300);
        Assert.Equal(0, lost);
        await storm.DisposeAsync();
    }
}
