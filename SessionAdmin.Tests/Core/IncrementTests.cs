using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 8: Increment and Decrement are atomic and store an int.</summary>
public abstract class IncrementTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store);

    [Fact]
    public async Task Increment_of_a_missing_key_counts_from_zero() =>
        Assert.Equal(3, await _h.ReadAsync(s => s.Increment("n", 3)));

    [Fact]
    public async Task Decrement_of_a_missing_key_stores_minus_n() =>
        Assert.Equal(-3, await _h.ReadAsync(s => { s.Decrement("n", 3); return s.GetInt("n"); }));

    [Fact]
    public async Task Increment_converts_a_numeric_string_and_stores_an_int()
    {
        var stored = await _h.ReadAsync(s => { s.Set("n", "41"); s.Increment("n", 1); return s.Get("n"); });
        Assert.Equal(42, Assert.IsType<int>(stored));
    }

    [Fact]
    public async Task Increment_of_a_value_that_is_not_an_int_throws_and_keeps_it()
    {
        await _h.RequestAsync(s => s.Set("n", "abc"));
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => _h.RequestAsync(s => s.Increment("n", 1)));
        Assert.Equal("abc", await _h.ReadAsync(s => s.Get("n")));
    }

    [Fact]
    public async Task Concurrent_increments_on_one_session_never_lose_a_count()
    {
        await _h.RequestAsync(s => s.Set("n", 0));
        const int workers = 64, each = 20;

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++) await _h.RequestAsync(s => s.Increment("n", 1));
        })));
        await _h.RestartAsync();

        Assert.Equal(workers * each, await _h.ReadAsync(s => s.GetInt("n")));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteIncrementTests() : IncrementTests(DurableStore.Sqlite);

public sealed class PostgresIncrementTests() : IncrementTests(DurableStore.Postgres);
