using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 7: one set of conversion rules behind every typed getter.</summary>
public sealed class TypedGetterTests : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Memory();

    private Task<T> With<T>(object? stored, Func<Session, T> read) =>
        _h.ReadAsync(s => { s.Set("k", stored); return read(s); });

    public static TheoryData<object, int> IntConvertible => new()
    {
        { 42, 42 }, { 42L, 42 }, { (short)-7, -7 }, { (byte)200, 200 }, { 42UL, 42 }, { 2.9, 2 }, { -2.9, -2 },
        { 2.5f, 2 }, { 7.9m, 7 }, { "42", 42 }, { "-13", -13 },
    };

    [Theory, MemberData(nameof(IntConvertible))]
    public async Task GetInt_accepts_integral_floating_and_invariant_strings(object stored, int expected) =>
        Assert.Equal(expected, await With(stored, s => s.GetInt("k")));

    public static TheoryData<object> NotAnInt => new() { "4.2", "abc", "", true, 3_000_000_000L, double.NaN, 1e20, Guid.Empty };

    [Theory, MemberData(nameof(NotAnInt))]
    public async Task GetInt_throws_entry_not_found_for_values_that_do_not_convert(object? stored)
    {
        var ex = await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(stored, s => s.GetInt("k")));
        Assert.Equal(typeof(int), ex.Kind);
    }

    [Fact]
    public async Task Entry_not_found_carries_key_kind_and_stored_value()
    {
        var ex = await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With("abc", s => s.GetInt64("k")));
        Assert.Equal(("k", typeof(long), (object?)"abc"), (ex.Key, ex.Kind, ex.Value));
        Assert.Equal("not found: k as Int64", ex.Message);
    }

    [Fact]
    public async Task A_stored_null_does_not_convert_to_a_number() =>
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(null, s => s.GetInt("k")));

    [Fact]
    public async Task Missing_key_throws_with_null_value()
    {
        var ex = await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => _h.ReadAsync(s => s.GetBoolean("nope")));
        Assert.Null(ex.Value);
    }

    [Fact]
    public async Task GetFloat64_parses_strings_at_full_precision() =>
        Assert.Equal(4.2, await With("4.2", s => s.GetFloat64("k")));

    [Fact]
    public async Task GetFloat32_parses_strings_as_float() =>
        Assert.Equal(4.2f, await With("4.2", s => s.GetFloat32("k")));

    [Fact]
    public async Task GetFloat32_throws_for_a_double_out_of_its_range() =>
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(1e300, s => s.GetFloat32("k")));

    [Fact]
    public async Task GetFloat64_accepts_every_numeric_type()
    {
        Assert.Equal(42.0, await With(42, s => s.GetFloat64("k")));
        Assert.Equal(2.5, await With(2.5f, s => s.GetFloat64("k")));
        Assert.Equal(1.25, await With(1.25m, s => s.GetFloat64("k")));
    }

    [Fact]
    public async Task GetUint64_rejects_negative_numbers_and_signed_strings()
    {
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(-1, s => s.GetUint64("k")));
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With("-1", s => s.GetUint64("k")));
        Assert.Equal(ulong.MaxValue, await With(ulong.MaxValue, s => s.GetUint64("k")));
        Assert.Equal(1UL, await With(1, s => s.GetUint64("k")));
    }

    [Theory]
    [InlineData("1", true)][InlineData("t", true)][InlineData("T", true)][InlineData("TRUE", true)][InlineData("true", true)][InlineData("True", true)]
    [InlineData("0", false)][InlineData("f", false)][InlineData("F", false)][InlineData("FALSE", false)][InlineData("false", false)][InlineData("False", false)]
    public async Task GetBoolean_accepts_the_go_boolean_strings(string stored, bool expected) =>
        Assert.Equal(expected, await With(stored, s => s.GetBoolean("k")));

    [Theory]
    [InlineData("yes")][InlineData("on")][InlineData("")][InlineData(1)]
    public async Task GetBoolean_rejects_other_values(object stored) =>
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(stored, s => s.GetBoolean("k")));

    public static TheoryData<object?, string> StringConvertible => new()
    {
        { "abc", "abc" }, { 42, "42" }, { -5L, "-5" }, { 2.9, "2.9" }, { 0.1f, "0.1" }, { 1.50m, "1.50" }, { true, "true" }, { false, "false" }, { null, "" },
    };

    [Theory, MemberData(nameof(StringConvertible))]
    public async Task GetString_formats_strings_numbers_and_bools_invariantly(object? stored, string expected) =>
        Assert.Equal(expected, await With(stored, s => s.GetString("k")));

    [Fact]
    public async Task GetString_of_a_missing_key_is_empty() => Assert.Equal("", await _h.ReadAsync(s => s.GetString("none")));

    public static TheoryData<object> NotAString => new() { Guid.NewGuid(), TimeSpan.FromSeconds(1), DateTime.UtcNow, new { A = 1 } };

    [Theory, MemberData(nameof(NotAString))]
    public async Task GetString_throws_for_guids_timespans_dates_and_objects(object stored) =>
        await Assert.ThrowsAsync<SessionEntryNotFoundException>(() => With(stored, s => s.GetString("k")));

    [Fact]
    public async Task GetStringDefault_returns_the_default_for_an_empty_string() =>
        Assert.Equal("def", await With("", s => s.GetStringDefault("k", "def")));

    [Fact]
    public async Task Default_variants_never_throw()
    {
        var results = await With(Guid.Empty, s => (s.GetIntDefault("k", 1), s.GetInt64Default("k", 2), s.GetUint64Default("k", 3),
            s.GetFloat32Default("k", 4), s.GetFloat64Default("k", 5), s.GetBooleanDefault("k", true), s.GetStringDefault("k", "x")));
        Assert.Equal((1, 2L, 3UL, 4f, 5d, true, "x"), results);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
