using System.Globalization;

namespace SessionAdmin.Core.State;

/// <summary>The one set of conversion rules behind every typed getter (Decision 7).</summary>
internal static class ValueConversion
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static bool TryInt64(object? value, out long result)
    {
        result = 0;
        switch (value)
        {
            case long l: result = l; return true;
            case int i: result = i; return true;
            case short s: result = s; return true;
            case sbyte sb: result = sb; return true;
            case byte b: result = b; return true;
            case ushort us: result = us; return true;
            case uint ui: result = ui; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case double d: return TryTruncate(d, -9.2233720368547758E18, 9.2233720368547758E18, out result);
            case float f: return TryTruncate(f, -9.2233720368547758E18, 9.2233720368547758E18, out result);
            case decimal m:
                var t = decimal.Truncate(m);
                if (t < long.MinValue || t > long.MaxValue) return false;
                result = (long)t; return true;
            case string str: return long.TryParse(str, NumberStyles.AllowLeadingSign, Inv, out result);
            default: return false;
        }
    }

    public static bool TryInt32(object? value, out int result)
    {
        result = 0;
        if (value is string str) return int.TryParse(str, NumberStyles.AllowLeadingSign, Inv, out result);
        if (!TryInt64(value, out var l) || l < int.MinValue || l > int.MaxValue) return false;
        result = (int)l;
        return true;
    }

    public static bool TryUInt64(object? value, out ulong result)
    {
        result = 0;
        switch (value)
        {
            case ulong ul: result = ul; return true;
            case double d: return TryTruncateUnsigned(d, out result);
            case float f: return TryTruncateUnsigned(f, out result);
            case decimal m:
                var t = decimal.Truncate(m);
                if (t < 0 || t > ulong.MaxValue) return false;
                result = (ulong)t; return true;
            case string str: return ulong.TryParse(str, NumberStyles.None, Inv, out result);
            default:
                if (!TryInt64(value, out var l) || l < 0) return false;
                result = (ulong)l; return true;
        }
    }

    public static bool TryDouble(object? value, out double result)
    {
        result = 0;
        switch (value)
        {
            case double d: result = d; return true;
            case float f: result = f; return true;
            case decimal m: result = (double)m; return true;
            case ulong ul: result = ul; return true;
            case string str:
                return double.TryParse(str, NumberStyles.Float, Inv, out result) && !IsOverflow(result, str);
            default:
                if (!TryInt64(value, out var l)) return false;
                result = l; return true;
        }
    }

    public static bool TrySingle(object? value, out float result)
    {
        result = 0;
        switch (value)
        {
            case float f: result = f; return true;
            case string str:
                return float.TryParse(str, NumberStyles.Float, Inv, out result) && !IsOverflow(result, str);
            default:
                if (!TryDouble(value, out var d)) return false;
                result = (float)d;
                return !float.IsInfinity(result) || double.IsInfinity(d);
        }
    }

    public static bool TryBoolean(object? value, out bool result)
    {
        result = false;
        switch (value)
        {
            case bool b: result = b; return true;
            case string s:
                switch (s)
                {
                    case "1" or "t" or "T" or "TRUE" or "true" or "True": result = true; return true;
                    case "0" or "f" or "F" or "FALSE" or "false" or "False": return true;
                    default: return false;
                }
            default: return false;
        }
    }

    /// <summary>Strings as they are, numbers in the invariant culture, bools as true/false; null gives "".</summary>
    public static bool TryString(object? value, out string result)
    {
        result = value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            float f => f.ToString(Inv),
            double d => d.ToString(Inv),
            decimal m => m.ToString(Inv),
            long or int or short or sbyte or byte or ushort or uint or ulong => ((IFormattable)value).ToString(null, Inv),
            _ => null!,
        };
        return result is not null;
    }

    private static bool TryTruncate(double d, double min, double maxExclusive, out long result)
    {
        result = 0;
        if (double.IsNaN(d)) return false;
        var t = Math.Truncate(d);
        if (t < min || t >= maxExclusive) return false;
        result = (long)t;
        return true;
    }

    private static bool TryTruncateUnsigned(double d, out ulong result)
    {
        result = 0;
        if (double.IsNaN(d)) return false;
        var t = Math.Truncate(d);
        if (t < 0 || t >= 1.8446744073709552E19) return false;
        result = (ulong)t;
        return true;
    }

    // .NET parses an out-of-range number as infinity; only an explicit "Infinity" may give one.
    private static bool IsOverflow(double parsed, string text) =>
        double.IsInfinity(parsed) && !text.Contains("infinity", StringComparison.OrdinalIgnoreCase) && !text.Contains('∞');
}
