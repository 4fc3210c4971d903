using CsCheck;
using SessionAdmin.Core.State;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Generated keys and values: each is either stored exactly or refused with an ArgumentException, never half-stored.</summary>
public abstract class HostileValueTests(DurableStore store) : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(store, c => c.MaxValueLength = 10_000);

    private static readonly Gen<string> Keys = Gen.OneOf(
        Gen.String[0, 300],
        Gen.Char['\0', '\uffff'].Array[0, 300].Select(a => new string(a)),
        Gen.Const(""), Gen.Const(new string('k', 256)), Gen.Const(new string('k', 257)));

    private static readonly Gen<object?> Values = Gen.OneOf<object?>(
        Gen.String[0, 12_000].Select(s => (object?)s),
        Gen.Char['\0', '\uffff'].Array[0, 500].Select(a => (object?)new string(a)),
        Gen.Int.Select(i => (object?)i), Gen.Double.Select(d => (object?)d), Gen.Long.Select(l => (object?)l),
        Gen.Int[1, 120].Select(depth => (object?)Nested(depth)),
        Gen.Const(0).Select(_ => (object?)null));

    // Lists nested `depth` deep: past the JSON serializer's depth limit they must be refused, not crash.
    private static object Nested(int depth)
    {
        object value = 1;
        for (var i = 0; i < depth; i++) value = new List<object> { value };
        return value;
    }

    [Fact]
    public async Task A_generated_key_and_value_is_stored_exactly_or_refused_and_nothing_changes()
    {
        await _h.RequestAsync(s => s.Set("anchor", "kept"));
        var tried = 0;

        await Gen.Select(Keys, Values).SampleAsync(async (key, value) =>
        {
            tried++;
            Exception? refused = null;
            await _h.RequestAsync(s =>
            {
                try { s.Set(key, value); }
                catch (ArgumentException ex) { refused = ex; }
            });
            var (len, stored, anchor) = await _h.ReadAsync(s => (s.Len(), s.Get(key.Length is > 0 and <= 256 ? key : "anchor"), s.GetString("anchor")));
            Assert.Equal("kept", anchor);
            if (refused is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(refused.Message));
                Assert.Equal(1, len);
                return;
            }
            var expected = ValueCodec.Normalize(value);
            Assert.Equal(expected is System.Text.Json.JsonElement j ? j.GetRawText() : expected,
                stored is System.Text.Json.JsonElement sj ? sj.GetRawText() : stored);
            Assert.Equal(key == "anchor" ? 1 : 2, len);
            await _h.RequestAsync(s => s.Delete(key));
        }, iter: 300, threads: 1);

        TestContext.Current.SendDiagnosticMessage($"generated keys and values tried: {tried}");
        Assert.Equal(300, tried);
    }

    [Fact]
    public async Task A_value_over_the_limit_is_refused_with_a_clear_message()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.RequestAsync(s => s.Set("big", new string('x', 10_001))));
        Assert.Equal("The value of 'big' has 10001 characters; at most 10000 are accepted.", ex.Message);
    }

    [Fact]
    public async Task An_object_nested_past_the_json_limit_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _h.RequestAsync(s => s.Set("deep", Nested(100))));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteHostileValueTests() : HostileValueTests(DurableStore.Sqlite);

public sealed class PostgresHostileValueTests() : HostileValueTests(DurableStore.Postgres);
