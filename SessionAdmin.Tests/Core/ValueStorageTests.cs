using System.Text.Json;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 4: values keep their types across restarts; keys are checked.</summary>
public abstract class ValueStorageTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store);

    public static TheoryData<object> RoundTripValues => new()
    {
        "text ✓", true, 42, -42L, ulong.MaxValue, (short)-3, (byte)7, 1.5f, Math.PI, 79228162514264337593543950335m, 1.10m,
        new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9),
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(5.5)),
        Guid.NewGuid(), TimeSpan.FromTicks(123456789), float.NaN, double.NegativeInfinity,
    };

    [Theory, MemberData(nameof(RoundTripValues))]
    public async Task Values_keep_their_CLR_type_and_value_across_a_restart(object? value)
    {
        await _h.RequestAsync(s => s.Set("v", value));
        await _h.RestartAsync();

        var back = await _h.ReadAsync(s => s.Get("v"));

        Assert.Equal(value?.GetType(), back?.GetType());
        Assert.Equal(value, back);
        if (value is DateTime dt) Assert.Equal(dt.Kind, ((DateTime)back!).Kind);
        if (value is DateTimeOffset dto) Assert.Equal(dto.Offset, ((DateTimeOffset)back!).Offset);
    }

    private sealed record Person(string Name, int Age);

    [Fact]
    public async Task Objects_come_back_as_a_JsonElement_that_Decode_binds()
    {
        await _h.RequestAsync(s => s.Set("p", new Person("Ada", 36)));
        await _h.RestartAsync();

        var (raw, decoded) = await _h.ReadAsync(s => (s.Get("p"), s.Decode<Person>("p")));

        Assert.IsType<JsonElement>(raw);
        Assert.Equal(new Person("Ada", 36), decoded);
    }

    [Fact]
    public async Task Get_never_hands_out_a_live_reference()
    {
        var list = new List<string> { "a" };
        var stored = await _h.ReadAsync(s => { s.Set("l", list); list.Add("b"); return s.Decode<List<string>>("l"); });
        Assert.Equal(["a"], stored!);
    }

    [Fact]
    public async Task Decode_of_a_missing_key_is_default() =>
        Assert.Null(await _h.ReadAsync(s => s.Decode<Person>("none")));

    [Fact]
    public async Task Decode_of_a_value_that_does_not_bind_throws() =>
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => _h.ReadAsync(s => { s.Set("n", "text"); return s.Decode<Person>("n"); }));

    [Fact]
    public async Task Set_null_keeps_the_key()
    {
        var (len, all, get) = await _h.ReadAsync(s => { s.Set("n", null); return (s.Len(), s.GetAll(), s.Get("n")); });
        Assert.Equal(1, len);
        Assert.True(all.ContainsKey("n"));
        Assert.Null(get);
    }

    [Fact]
    public async Task A_null_value_survives_a_restart_as_a_present_key()
    {
        await _h.RequestAsync(s => s.Set("n", null));
        await _h.RestartAsync();
        var (len, value) = await _h.ReadAsync(s => (s.Len(), s.Get("n")));
        Assert.Equal((1, (object?)null), (len, value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public async Task Keys_must_have_1_to_256_characters(int length) =>
        await Assert.ThrowsAsync<ArgumentException>(() => _h.RequestAsync(s => s.Set(new string('k', length), 1)));

    [Fact]
    public async Task A_256_character_key_is_accepted()
    {
        var key = new string('k', 256);
        await _h.RequestAsync(s => s.Set(key, 1));
        await _h.RestartAsync();
        Assert.Equal(1, await _h.ReadAsync(s => s.GetInt(key)));
    }

    [Fact]
    public async Task Visit_walks_values_in_insertion_order_after_a_restart()
    {
        await _h.RequestAsync(s => { s.Set("z", 1); s.Set("a", 2); s.Set("m", 3); s.Set("z", 4); });
        await _h.RestartAsync();

        var keys = await _h.ReadAsync(s => { var k = new List<string>(); s.Visit((key, _) => k.Add(key)); return k; });

        Assert.Equal(["z", "a", "m"], keys);
    }

    [Fact]
    public async Task Delete_reports_whether_the_key_existed()
    {
        var (first, second) = await _h.ReadAsync(s => { s.Set("k", 1); return (s.Delete("k"), s.Delete("k")); });
        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task Clear_removes_every_value_and_keeps_the_session()
    {
        await _h.RequestAsync(s => { s.Set("a", 1); s.Set("b", 2); });
        var id = await _h.ReadAsync(s => { s.Clear(); return s.ID; });
        await _h.RestartAsync();

        var (sameId, len) = await _h.ReadAsync(s => (s.ID == id, s.Len()));

        Assert.True(sameId);
        Assert.Equal(0, len);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteValueStorageTests() : ValueStorageTests(DurableStore.Sqlite);

public sealed class PostgresValueStorageTests() : ValueStorageTests(DurableStore.Postgres);
