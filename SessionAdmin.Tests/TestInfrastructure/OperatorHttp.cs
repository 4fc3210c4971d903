using System.Text.RegularExpressions;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>The operator sign-in form over raw HTTP (antiforgery token and cookie included), for the HTTP tests.</summary>
public static partial class OperatorHttp
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    public static partial Regex TokenField();

    /// <summary>Posts the sign-in form; without <paramref name="withToken"/> the antiforgery field is left out.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string user, string password, bool withToken = true)
    {
        using var form = await client.Get("/admin/login");
        var token = TokenField().Match(await form.BodyAsync()).Groups[1].Value;
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        var fields = new Dictionary<string, string> { ["_handler"] = "signin", ["Input.Username"] = user, ["Input.Password"] = password };
        if (withToken) fields["__RequestVerificationToken"] = token;
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Cookie", antiforgeryCookie);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The operator cookie ("SessionAdmin.Operator=…") a successful sign-in set.</summary>
    public static string OperatorCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("SessionAdmin.Operator=", StringComparison.Ordinal)).Split(';')[0];
}
