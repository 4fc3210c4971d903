using System.Net;
using Microsoft.AspNetCore.Hosting;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Web;

/// <summary>The CSV export: operators only, exactly the filtered rows, never full IDs.</summary>
public sealed class SessionExportTests() : WebAppTest(Operators)
{
    private const string Password = "export password 1";

    private static void Operators(IWebHostBuilder builder, TempDatabase _)
    {
        builder.UseSetting("Admin:Operators:0:Name", "olga");
        builder.UseSetting("Admin:Operators:0:PasswordHash", OperatorDirectory.Hash(Password));
        builder.UseSetting("Admin:Operators:0:Role", OperatorRoles.Viewer);
    }

    private async Task<HttpResponseMessage> ExportAsync(string query, bool signedIn = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/export/sessions.csv" + query);
        if (signedIn) request.Headers.TryAddWithoutValidation("Cookie", OperatorHttp.OperatorCookie(await Client.SignInAsync("olga", Password)));
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Export_without_an_operator_redirects_to_the_sign_in_page()
    {
        using var response = await ExportAsync("", signedIn: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Export_streams_the_rows_the_filter_selects_as_csv()
    {
        using var alice = await Client.Get("/login?user=alice");
        await Client.Get("/login?user=bob");
        var aliceId = alice.SessionCookie()!;

        using var response = await ExportAsync("?user=alice&state=live");
        var lines = (await response.BodyAsync()).TrimEnd().Split('\n');

        Assert.Equal("text/csv", response.ContentType()!.MediaType);
        Assert.StartsWith("attachment;", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("…" + aliceId[^8..] + ",alice,", lines[1]);
        Assert.DoesNotContain(aliceId, lines[1]);
    }

    [Fact]
    public async Task Export_with_an_unreadable_filter_is_refused_with_the_reason()
    {
        using var response = await ExportAsync("?createdFrom=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("createdFrom", await response.BodyAsync());
    }
}
