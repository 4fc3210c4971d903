using System.Collections.Concurrent;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Many requests on one session at once: nothing lost, nothing resurrected.</summary>
public abstract class ConcurrencyTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store);

    [Fact]
    public async Task Mixed_increments_distinct_sets_and_flash_reads_lose_nothing()
    {
        await _h.RequestAsync(s => s.SetFlash("banner", "hello"));
        const int clients = 32, rounds = 25;
        var flashReads = 0;

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var r = 0; r < rounds; r++)
            {
                await _h.RequestAsync(s =>
                {
                    s.Increment("hits", 1);
                    s.Set($"client-{c}-round-{r}", r);
                    if (s.PeekFlash("banner") is not null) Interlocked.Increment(ref flashReads);
                });
            }
        })));
        await _h.RestartAsync();

        var (hits, len) = await _h.ReadAsync(s => (s.GetInt("hits"), s.Len()));
        TestContext.Current.SendDiagnosticMessage($"concurrent operations checked: {clients * rounds * 3}");
        Assert.Equal(clients * rounds, hits);
        Assert.Equal(clients * rounds + 1, len);
        Assert.Equal(clients * rounds, flashReads);
        Assert.Equal("hello", await _h.ReadAsync(s => s.PeekFlash("banner")));
    }

    [Fact]
    public async Task A_destroy_racing_requests_in_flight_is_final()
    {
        await _h.RequestAsync(s => s.Set("k", 0));
        var id = _h.Cookie!;
        using var stop = new CancellationTokenSource();
        var answeredAfterDestroy = new ConcurrentBag<string>();
        var destroyed = false;

        var load = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var startedAfterDestroy = Volatile.Read(ref destroyed);
                var request = new FakeRequest($"{SessionsHarness.CookieName}={id}");
                var session = _h.Sessions.Start(request.Context);
                session.Increment("k", 1);
                session.Set("late", "write");
                await request.CompleteAsync();
                if (startedAfterDestroy) answeredAfterDestroy.Add(session.ID);
            }
        })).ToList();

        await Task.Delay(100, TestContext.Current.CancellationToken);
        _h.Sessions.DestroyByID(id);
        Volatile.Write(ref destroyed, true);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // Requests that began after the destroy got new sessions; none could bring the old one back.
        Assert.DoesNotContain(id, answeredAfterDestroy);
        await using var other = _h.OpenSecondManager();
        Assert.NotEqual(id, other.Start(new FakeRequest($"{SessionsHarness.CookieName}={id}").Context).ID);
        _h.Cookie = id;
        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteConcurrencyTests() : ConcurrencyTests(DurableStore.Sqlite);

public sealed class PostgresConcurrencyTests() : ConcurrencyTests(DurableStore.Postgres);
