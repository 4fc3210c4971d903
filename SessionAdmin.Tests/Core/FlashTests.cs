using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 6 (docs/DECISIONS.md) and Iris's flash timeline (set, read in a later request, gone in the one after): flashes are stored with the session.</summary>
public abstract class FlashTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store);

    [Fact]
    public async Task A_read_flash_stays_for_the_request_and_is_gone_at_the_next()
    {
        await _h.RequestAsync(s => s.SetFlash("name", "iris"));
        var twice = await _h.ReadAsync(s => (s.GetFlashString("name"), s.GetFlashString("name")));
        var after = await _h.ReadAsync(s => s.GetFlashString("name"));

        Assert.Equal(("iris", "iris"), twice);
        Assert.Equal("", after);
    }

    [Fact]
    public async Task PeekFlash_does_not_mark_the_flash()
    {
        await _h.RequestAsync(s => s.SetFlash("name", "iris"));
        await _h.RequestAsync(s => s.PeekFlash("name"));
        await _h.RequestAsync(s => s.PeekFlash("name"));
        Assert.Equal("iris", await _h.ReadAsync(s => s.PeekFlash("name")));
    }

    [Fact]
    public async Task A_flash_set_and_read_in_one_request_is_gone_at_the_next()
    {
        Assert.Equal("iris", await _h.ReadAsync(s => { s.SetFlash("name", "iris"); return s.GetFlash("name"); }));
        Assert.False(await _h.ReadAsync(s => s.HasFlash()));
    }

    [Fact]
    public async Task GetFlashes_marks_every_flash()
    {
        await _h.RequestAsync(s => { s.SetFlash("a", 1); s.SetFlash("b", "two"); });
        var all = await _h.ReadAsync(s => s.GetFlashes());
        Assert.Equal(2, all.Count);
        Assert.Empty(await _h.ReadAsync(s => s.GetFlashes()));
    }

    [Fact]
    public async Task Flashes_survive_a_restart()
    {
        await _h.RequestAsync(s => s.SetFlash("name", "iris"));
        await _h.RestartAsync();
        Assert.Equal("iris", await _h.ReadAsync(s => s.GetFlashString("name")));
    }

    [Fact]
    public async Task A_flash_read_before_a_restart_is_gone_after_it()
    {
        await _h.RequestAsync(s => s.SetFlash("name", "iris"));
        await _h.RequestAsync(s => s.GetFlash("name"));
        await _h.RestartAsync();
        Assert.False(await _h.ReadAsync(s => s.HasFlash()));
    }

    [Fact]
    public async Task Flashes_are_not_values()
    {
        var (len, all, hasFlashAfterClear) = await _h.ReadAsync(s =>
        {
            s.SetFlash("f", 1);
            var r = (s.Len(), s.GetAll().Count, false);
            s.Clear();
            return (r.Item1, r.Item2, s.HasFlash());
        });
        Assert.Equal((0, 0, true), (len, all, hasFlashAfterClear));
    }

    [Fact]
    public async Task GetFlashString_of_a_non_string_is_the_default_and_marks_it()
    {
        await _h.RequestAsync(s => s.SetFlash("n", 42));
        Assert.Equal("none", await _h.ReadAsync(s => s.GetFlashStringDefault("n", "none")));
        Assert.False(await _h.ReadAsync(s => s.HasFlash()));
    }

    [Fact]
    public async Task DeleteFlash_and_ClearFlashes_remove_at_once()
    {
        var (afterDelete, afterClear) = await _h.ReadAsync(s =>
        {
            s.SetFlash("a", 1); s.SetFlash("b", 2);
            s.DeleteFlash("a");
            var d = s.PeekFlash("a");
            s.ClearFlashes();
            return (d, s.HasFlash());
        });
        Assert.Null(afterDelete);
        Assert.False(afterClear);
    }

    [Fact]
    public async Task Setting_a_read_flash_again_unmarks_it()
    {
        await _h.RequestAsync(s => s.SetFlash("a", "x"));
        await _h.RequestAsync(s => { s.GetFlash("a"); s.SetFlash("a", "y"); });
        Assert.Equal("y", await _h.ReadAsync(s => s.PeekFlash("a")));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteFlashTests() : FlashTests(DurableStore.Sqlite);

public sealed class PostgresFlashTests() : FlashTests(DurableStore.Postgres);
