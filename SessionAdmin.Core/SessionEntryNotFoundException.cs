namespace SessionAdmin.Core;

/// <summary>
/// A typed getter found no value for the key, or one that does not convert to the requested type
/// (Iris <c>ErrEntryNotFound</c>).
/// </summary>
public sealed class SessionEntryNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public SessionEntryNotFoundException(string key, Type kind, object? value)
        : base($"not found: {key} as {kind.Name}")
    {
        Key = key;
        Kind = kind;
        Value = value;
    }

    /// <summary>The key that was asked for.</summary>
    public string Key { get; }

    /// <summary>The requested type.</summary>
    public Type Kind { get; }

    /// <summary>The stored value, or null when the key is missing.</summary>
    public object? Value { get; }
}
