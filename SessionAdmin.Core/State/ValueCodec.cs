using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SessionAdmin.Core.State;

/// <summary>
/// Turns session values into a (type tag, text) pair and back, so every store keeps the CLR type (Decision 4).
/// Objects outside the known types become JSON and come back as a <see cref="JsonElement"/>.
/// </summary>
internal static class ValueCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What a session holds for <paramref name="value"/>: known types as they are, other objects as a JSON copy.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        JsonElement json => json.Clone(),
        string or bool or int or long or ulong or short or byte or sbyte or ushort or uint or char
            or float or double or decimal or DateTime or DateTimeOffset or Guid or TimeSpan => value,
        _ => JsonSerializer.SerializeToElement(value, value.GetType()),
    };

    public static (string Tag, string? Payload) Encode(object? value) => value switch
    {
        null => ("null", null),
        string s => IsStorableText(s) ? ("str", s) : ("str16", Convert.ToBase64String(MemoryMarshal.AsBytes(s.AsSpan()))),
        bool b => ("bool", b ? "true" : "false"),
        int i => ("i32", i.ToString(Inv)),
        long l => ("i64", l.ToString(Inv)),
        ulong u => ("u64", u.ToString(Inv)),
        short s16 => ("i16", s16.ToString(Inv)),
        byte u8 => ("u8", u8.ToString(Inv)),
        sbyte i8 => ("i8", i8.ToString(Inv)),
        ushort u16 => ("u16", u16.ToString(Inv)),
        uint u32 => ("u32", u32.ToString(Inv)),
        char c => IsStorableText([c]) ? ("char", c.ToString()) : ("char16", ((int)c).ToString(Inv)),
        float f => ("f32", f.ToString("R", Inv)),
        double d => ("f64", d.ToString("R", Inv)),
        decimal m => ("dec", m.ToString(Inv)),
        DateTime dt => ("dt", string.Concat(dt.Ticks.ToString(Inv), ":", ((int)dt.Kind).ToString(Inv))),
        DateTimeOffset dto => ("dto", dto.ToString("O", Inv)),
        Guid g => ("guid", g.ToString("D")),
        TimeSpan ts => ("ts", ts.ToString("c", Inv)),
        JsonElement json => ("json", json.GetRawText()),
        _ => throw new ArgumentException($"Normalize the value first; {value.GetType()} has no tag.", nameof(value)),
    };

    public static object? Decode(string tag, string? payload)
    {
        if (tag == "null") return null;
        var p = payload ?? "";
        return tag switch
        {
            "str" => p,
            "str16" => new string(MemoryMarshal.Cast<byte, char>(Convert.FromBase64String(p))),
            "bool" => p == "true",
            "i32" => int.Parse(p, Inv),
            "i64" => long.Parse(p, Inv),
            "u64" => ulong.Parse(p, Inv),
            "i16" => short.Parse(p, Inv),
            "u8" => byte.Parse(p, Inv),
            "i8" => sbyte.Parse(p, Inv),
            "u16" => ushort.Parse(p, Inv),
            "u32" => uint.Parse(p, Inv),
            "char" => p[0],
            "char16" => (char)int.Parse(p, Inv),
            "f32" => float.Parse(p, NumberStyles.Float, Inv),
            "f64" => double.Parse(p, NumberStyles.Float, Inv),
            "dec" => decimal.Parse(p, NumberStyles.Number, Inv),
            "dt" => DecodeDateTime(p),
            "dto" => DateTimeOffset.ParseExact(p, "O", Inv, DateTimeStyles.None),
            "guid" => Guid.ParseExact(p, "D"),
            "ts" => TimeSpan.ParseExact(p, "c", Inv),
            "json" => JsonDocument.Parse(p).RootElement.Clone(),
            _ => throw new FormatException($"Unknown session value tag '{tag}'."),
        };
    }

    /// <summary>
    /// Whether every store can keep the text as it is: PostgreSQL refuses NUL characters, and lone surrogates are
    /// not Unicode (they cannot be encoded as UTF-8). Such strings are stored as their UTF-16 code units instead.
    /// </summary>
    public static bool IsStorableText(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c)) return false;
            if (!char.IsHighSurrogate(c)) continue;
            if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static DateTime DecodeDateTime(string p)
    {
        var colon = p.IndexOf(':');
        var ticks = long.Parse(p.AsSpan(0, colon), Inv);
        var kind = (DateTimeKind)int.Parse(p.AsSpan(colon + 1), Inv);
        return new DateTime(ticks, kind);
    }
}
