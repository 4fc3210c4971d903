using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 5: immutables are honoured by every store.</summary>
public abstract class ImmutableTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store);

    [Fact]
    public async Task Set_on_an_immutable_key_is_ignored() =>
        Assert.Equal("first", await _h.ReadAsync(s => { s.SetImmutable("k", "first"); s.Set("k", "second"); return s.GetString("k"); }));

    [Fact]
    public async Task SetImmutable_replaces_an_immutable_value() =>
        Assert.Equal("second", await _h.ReadAsync(s => { s.SetImmutable("k", "first"); s.SetImmutable("k", "second"); return s.GetString("k"); }));

    [Fact]
    public async Task Delete_removes_an_immutable_value() =>
        Assert.Null(await _h.ReadAsync(s => { s.SetImmutable("k", 1); s.Delete("k"); return s.Get("k"); }));

    [Fact]
    public async Task Clear_removes_immutable_values() =>
        Assert.Equal(0, await _h.ReadAsync(s => { s.SetImmutable("k", 1); s.Clear(); return s.Len(); }));

    [Fact]
    public async Task Immutability_survives_a_restart()
    {
        await _h.RequestAsync(s => s.SetImmutable("k", "kept"));
        await _h.RestartAsync();
        Assert.Equal("kept", await _h.ReadAsync(s => { s.Set("k", "changed"); return s.GetString("k"); }));
    }

    [Fact]
    public async Task Increment_leaves_an_immutable_counter_alone()
    {
        var (returned, stored) = await _h.ReadAsync(s => { s.SetImmutable("n", 5); return (s.Increment("n", 1), s.GetInt("n")); });
        Assert.Equal((6, 5), (returned, stored));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteImmutableTests() : ImmutableTests(DurableStore.Sqlite);

public sealed class PostgresImmutableTests() : ImmutableTests(DurableStore.Postgres);
