using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>A full demo run at debug level leaves neither a session value nor a full session ID in the logs.</summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task No_session_value_and_no_full_session_id_in_any_log_line()
    {
        using var db = new TempDatabase();
        var ids = new List<string>();
        string output;
        await using (var app = await AppProcess.StartAsync(db, settings: new Dictionary<string, string>
        {
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Information",
        }))
        {
            using var client = app.Client();
            async Task<string?> Get(string path, string? cookie)
            {
                using var response = await client.Get(path, cookie);
                var issued = response.SessionCookie();
                if (!string.IsNullOrEmpty(issued)) ids.Add(issued);
                return string.IsNullOrEmpty(issued) ? cookie : issued;
            }

            var cookie = await Get("/secret", null);
            cookie = await Get("/login", cookie);
            await Get("/secret", cookie);
            await Get("/examples/overview/set/card/SECRET-VALUE-4111", cookie);
            await Get("/examples/overview/set-immutable", cookie);
            await Get("/examples/overview/get/card", cookie);
            await Get("/examples/flash/set", cookie);
            await Get("/examples/flash/get", cookie);
            await Get("/secret", "forged-id-FORGED12345");
            await Get("/logout", cookie);
            await Get("/secret", cookie);
            output = app.Output;
        }

        Assert.Contains("destroyed", output);
        Assert.NotEmpty(ids);
        Assert.DoesNotContain("SECRET-VALUE-4111", output);
        Assert.DoesNotContain("forged-id-FORGED12345", output);
        Assert.All(ids, id => Assert.DoesNotContain(id, output));
    }
}
