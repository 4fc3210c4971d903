using System.Text.Json;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;

namespace SessionAdmin.Core;

/// <summary>
/// One request's view of a session (Iris <c>*Session</c>). Concurrent requests on the same session share its
/// values and see each other's writes at once; each request's changes are durable before its response starts.
/// </summary>
public sealed class Session
{
    private const int MaxKeyLength = 256;

    /// <summary>The longest principal a session can name (the store indexes it).</summary>
    internal const int MaxPrincipalLength = 256;
    private readonly RequestScope _scope;

    internal Session(RequestScope scope, bool isNew)
    {
        _scope = scope;
        IsNew = isNew;
    }

    private SessionState State => _scope.State;

    /// <summary>The session ID (never the encoded cookie value).</summary>
    public string ID => State.Id;

    /// <summary>True when this request created the session.</summary>
    public bool IsNew { get; }

    /// <summary>When the session expires server-side (Iris <c>Lifetime</c>); null when it never does.</summary>
    public DateTimeOffset? ExpiresAt => State.ExpiresAtUtc is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>
    /// The principal (signed-in user) this session names: the value under <see cref="SessionsConfig.PrincipalKey"/> when it
    /// is a non-empty string; null otherwise or when no key is configured.
    /// </summary>
    public string? Principal => State.Principal;

    /// <summary>The manager that started this session.</summary>
    public Sessions Man => _scope.Manager;

    /// <summary>Destroys the session server-side (as <see cref="Sessions.DestroyByID"/>); the cookie stays.</summary>
    public void Destroy() => Man.DestroyCore(ID, SessionDestroyReason.Destroyed);

    // ---- values ----

    /// <summary>Stores a value. Ignored (and logged at debug) when the key holds an immutable value.</summary>
    public void Set(string key, object? value) => SetCore(key, value, immutable: false);

    /// <summary>Stores a value that <see cref="Set"/> cannot replace; <see cref="SetImmutable"/>, <see cref="Delete"/> and <see cref="Clear"/> can.</summary>
    public void SetImmutable(string key, object? value) => SetCore(key, value, immutable: true);

    private void SetCore(string key, object? value, bool immutable)
    {
        ValidateKey(key);
        var normalized = _scope.ValueRules.Checked(key, value);
        if (!State.Set(key, normalized, immutable))
            Log.ImmutableSetIgnored(_scope.Logger, key, SessionIds.Hash(ID));
        _scope.Wrote();
    }

    /// <summary>The stored value, or null. Objects come back as a <see cref="JsonElement"/> copy.</summary>
    public object? Get(string key) => State.Get(key, out _);

    /// <summary>Binds the stored value to <typeparamref name="T"/>; default when the key is missing.</summary>
    /// <exception cref="SessionEntryNotFoundException">The value does not bind to <typeparamref name="T"/>.</exception>
    public T? Decode<T>(string key)
    {
        var value = State.Get(key, out var found);
        if (!found || value is null) return default;
        if (value is T typed) return typed;
        try
        {
            var json = value as JsonElement? ?? JsonSerializer.SerializeToElement(value, value.GetType());
            return json.Deserialize<T>();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SessionEntryNotFoundException(key, typeof(T), value);
        }
    }

    /// <summary>A new dictionary of every value (flashes excluded).</summary>
    public IReadOnlyDictionary<string, object?> GetAll() =>
        State.Values().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Calls <paramref name="visitor"/> for every value, in insertion order.</summary>
    public void Visit(Action<string, object?> visitor)
    {
        foreach (var (key, value) in State.Values()) visitor(key, value);
    }

    /// <summary>The number of values (flashes excluded; a null value counts).</summary>
    public int Len() => State.Len();

    /// <summary>Removes a value, immutable or not; true when it existed.</summary>
    public bool Delete(string key)
    {
        var deleted = State.Delete(key);
        if (deleted) _scope.Wrote();
        return deleted;
    }

    /// <summary>Removes every value (flashes stay).</summary>
    public void Clear()
    {
        State.Clear();
        _scope.Wrote();
    }

    // ---- typed getters (Decision 7) ----

    /// <summary>Strings as stored, numbers in the invariant culture, bools as true/false; "" when missing.</summary>
    public string GetString(string key)
    {
        var value = State.Get(key, out _);
        return ValueConversion.TryString(value, out var s) ? s : throw new SessionEntryNotFoundException(key, typeof(string), value);
    }

    /// <summary><see cref="GetString"/>, or <paramref name="defaultValue"/> when that fails or gives "".</summary>
    public string GetStringDefault(string key, string defaultValue) =>
        ValueConversion.TryString(State.Get(key, out _), out var s) && s.Length > 0 ? s : defaultValue;

    /// <summary>The value as an int.</summary>
    public int GetInt(string key) => Typed<int>(key, ValueConversion.TryInt32);
    /// <summary>The value as an int, or the default.</summary>
    public int GetIntDefault(string key, int defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TryInt32);
    /// <summary>The value as a long.</summary>
    public long GetInt64(string key) => Typed<long>(key, ValueConversion.TryInt64);
    /// <summary>The value as a long, or the default.</summary>
    public long GetInt64Default(string key, long defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TryInt64);
    /// <summary>The value as a ulong.</summary>
    public ulong GetUint64(string key) => Typed<ulong>(key, ValueConversion.TryUInt64);
    /// <summary>The value as a ulong, or the default.</summary>
    public ulong GetUint64Default(string key, ulong defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TryUInt64);
    /// <summary>The value as a float.</summary>
    public float GetFloat32(string key) => Typed<float>(key, ValueConversion.TrySingle);
    /// <summary>The value as a float, or the default.</summary>
    public float GetFloat32Default(string key, float defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TrySingle);
    /// <summary>The value as a double.</summary>
    public double GetFloat64(string key) => Typed<double>(key, ValueConversion.TryDouble);
    /// <summary>The value as a double, or the default.</summary>
    public double GetFloat64Default(string key, double defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TryDouble);
    /// <summary>The value as a bool (also "1 t T TRUE true True 0 f F FALSE false False").</summary>
    public bool GetBoolean(string key) => Typed<bool>(key, ValueConversion.TryBoolean);
    /// <summary>The value as a bool, or the default.</summary>
    public bool GetBooleanDefault(string key, bool defaultValue) => TypedDefault(key, defaultValue, ValueConversion.TryBoolean);

    /// <summary>Adds <paramref name="n"/> atomically and stores the result as an int; a missing key counts as 0.</summary>
    public int Increment(string key, int n) => AddCore(key, n);

    /// <summary>Subtracts <paramref name="n"/> atomically; a missing key counts as 0, so it stores −n.</summary>
    public int Decrement(string key, int n) => AddCore(key, checked(-n));

    private int AddCore(string key, int delta)
    {
        ValidateKey(key);
        var result = State.Add(key, delta);
        _scope.Wrote();
        return result;
    }

    private delegate bool Converter<T>(object? value, out T result);

    private T Typed<T>(string key, Converter<T> convert)
    {
        var value = State.Get(key, out _);
        return convert(value, out var result) ? result : throw new SessionEntryNotFoundException(key, typeof(T), value);
    }

    private T TypedDefault<T>(string key, T defaultValue, Converter<T> convert) =>
        convert(State.Get(key, out _), out var result) ? result : defaultValue;

    // ---- flashes (Decision 6) ----

    /// <summary>Stores a flash message for a later request.</summary>
    public void SetFlash(string key, object? value)
    {
        ValidateKey(key);
        State.SetFlash(key, _scope.ValueRules.Checked(key, value));
        _scope.Wrote();
    }

    /// <summary>True when any flash exists, read ones not yet collected included.</summary>
    public bool HasFlash() => State.HasFlash();

    /// <summary>Every flash; all are marked read.</summary>
    public IReadOnlyDictionary<string, object?> GetFlashes()
    {
        var all = State.ReadFlashes();
        _scope.Wrote();
        return all;
    }

    /// <summary>The flash without marking it read.</summary>
    public object? PeekFlash(string key) => State.ReadFlash(key, mark: false);

    /// <summary>The flash, marked read: it stays for this request and is gone when a later request starts the session.</summary>
    public object? GetFlash(string key)
    {
        var value = State.ReadFlash(key, mark: true);
        _scope.Wrote();
        return value;
    }

    /// <summary>The flash if it is a string (marked read either way), else "".</summary>
    public string GetFlashString(string key) => GetFlashStringDefault(key, "");

    /// <summary>The flash if it is a string (marked read either way), else <paramref name="defaultValue"/>.</summary>
    public string GetFlashStringDefault(string key, string defaultValue) => GetFlash(key) as string ?? defaultValue;

    /// <summary>Removes a flash now.</summary>
    public void DeleteFlash(string key)
    {
        State.DeleteFlash(key);
        _scope.Wrote();
    }

    /// <summary>Removes every flash now.</summary>
    public void ClearFlashes()
    {
        State.ClearFlashes();
        _scope.Wrote();
    }

    internal static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (KeyProblem(key) is { } problem) throw new ArgumentException(problem, nameof(key));
    }

    /// <summary>Why <paramref name="key"/> cannot be a session key, or null when it can (the console asks too).</summary>
    internal static string? KeyProblem(string? key) =>
        string.IsNullOrEmpty(key) || key.Length > MaxKeyLength ? $"A session key must have 1 to {MaxKeyLength} characters."
        : !ValueCodec.IsStorableText(key) ? "A session key must be Unicode text without NUL characters."
        : null;
}
