using System.Globalization;
using System.Text.Json;
using SessionAdmin.Core.State;

namespace SessionAdmin.Core.Admin;

/// <summary>
/// Session values as text an operator reads and types: one format per type, so what the console shows parses back
/// to the same value. Anything that does not parse is refused with a message.
/// </summary>
public static class ValueText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The types an operator can give a value.</summary>
    public static IReadOnlyList<string> EditableTypes { get; } =
        ["String", "Boolean", "Int32", "Int64", "UInt64", "Int16", "Byte", "Single", "Double", "Decimal",
         "DateTime", "DateTimeOffset", "Guid", "TimeSpan", "Json"];

    /// <summary>The type name the console shows for a stored value.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "Null",
        JsonElement => "Json",
        _ => value.GetType().Name,
    };

    /// <summary>The value as text (invariant culture; round-trip formats; JSON as written).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime dt => dt.ToString("O", Inv),
        DateTimeOffset dto => dto.ToString("O", Inv),
        TimeSpan ts => ts.ToString("c", Inv),
        float f => f.ToString("R", Inv),
        double d => d.ToString("R", Inv),
        JsonElement json => json.GetRawText(),
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };

    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="typeName"/>; false with a message when it does not fit.</summary>
    public static bool TryParse(string typeName, string? text, out object? value, out string error)
    {
        text ??= "";
        value = null;
        error = "";
        var ok = typeName switch
        {
            "String" => Set(text, out value),
            "Boolean" => TryBool(text, out value),
            "Int32" => Try<int>(int.TryParse(text, NumberStyles.Integer, Inv, out var i), i, out value),
            "Int64" => Try<long>(long.TryParse(text, NumberStyles.Integer, Inv, out var l), l, out value),
            "UInt64" => Try<ulong>(ulong.TryParse(text, NumberStyles.None, Inv, out var u), u, out value),
            "Int16" => Try<short>(short.TryParse(text, NumberStyles.Integer, Inv, out var sh), sh, out value),
            "Byte" => Try<byte>(byte.TryParse(text, NumberStyles.None, Inv, out var by), by, out value),
            "Single" => Try<float>(float.TryParse(text, NumberStyles.Float, Inv, out var f) && float.IsFinite(f), f, out value),
            "Double" => Try<double>(double.TryParse(text, NumberStyles.Float, Inv, out var d) && double.IsFinite(d), d, out value),
            "Decimal" => Try<decimal>(decimal.TryParse(text, NumberStyles.Number, Inv, out var m), m, out value),
            "DateTime" => Try<DateTime>(DateTime.TryParse(text, Inv, DateTimeStyles.RoundtripKind, out var dt), dt, out value),
            "DateTimeOffset" => Try<DateTimeOffset>(DateTimeOffset.TryParse(text, Inv, DateTimeStyles.None, out var dto), dto, out value),
            "Guid" => Try<Guid>(Guid.TryParse(text, out var g), g, out value),
            "TimeSpan" => Try<TimeSpan>(TimeSpan.TryParse(text, Inv, out var ts), ts, out value),
            "Json" => TryJson(text, out value, out error),
            _ => false,
        };
        if (!ok && error.Length == 0)
        {
            error = EditableTypes.Contains(typeName)
                ? $"\"{Shorten(text)}\" is not a valid {typeName}."
                : $"{typeName} values cannot be edited here.";
        }
        return ok;
    }

    private static bool Set(object v, out object? value) { value = v; return true; }

    private static bool Try<T>(bool parsed, T result, out object? value)
    {
        value = parsed ? result : null;
        return parsed;
    }

    private static bool TryBool(string text, out object? value)
    {
        value = null;
        if (!ValueConversion.TryBoolean(text.Trim(), out var b)) return false;
        value = b;
        return true;
    }

    private static bool TryJson(string text, out object? value, out string error)
    {
        value = null;
        error = "";
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            error = $"Not valid JSON: {ex.Message}";
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
