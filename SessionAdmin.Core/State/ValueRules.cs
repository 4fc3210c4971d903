namespace SessionAdmin.Core.State;

/// <summary>
/// What a session accepts as a value: something the store can keep with its type (Decision 4), at most
/// <see cref="SessionsConfig.MaxValueLength"/> characters of stored text, and under the principal key a string the
/// store can index.
/// </summary>
internal sealed class ValueRules(int maxValueLength, string? principalKey)
{
    /// <summary>The value as the session holds it.</summary>
    /// <exception cref="ArgumentException">The value cannot be stored, or is too long.</exception>
    public object? Checked(string key, object? value)
    {
        object? normalized;
        try
        {
            normalized = ValueCodec.Normalize(value);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"The value of '{key}' cannot be stored: {ex.Message}", ex);
        }
        var length = normalized switch
        {
            string s => s.Length,
            System.Text.Json.JsonElement json => json.GetRawText().Length,
            _ => 0,
        };
        if (length > maxValueLength)
            throw new ArgumentException($"The value of '{key}' has {length} characters; at most {maxValueLength} are accepted.");
        if (key == principalKey && normalized is string principal
            && (principal.Length > Session.MaxPrincipalLength || !ValueCodec.IsStorableText(principal)))
            throw new ArgumentException($"'{key}' names the session's principal: at most {Session.MaxPrincipalLength} characters of Unicode text without NUL.");
        return normalized;
    }
}
