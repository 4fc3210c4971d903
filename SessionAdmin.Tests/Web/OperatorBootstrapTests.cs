using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Web;

/// <summary>No default password in code: the first run creates <c>admin</c> with a random or a scripted password.</summary>
public sealed class OperatorBootstrapTests
{
    [Fact]
    public async Task Without_operators_the_first_run_creates_admin_with_a_random_password_kept_hashed()
    {
        using var db = new TempDatabase();
        await using var app = new WebAppFactory(db);
        var directory = app.Services.GetRequiredService<OperatorDirectory>();

        var file = JsonSerializer.Deserialize<OperatorAccount>(await File.ReadAllTextAsync(db.FilePath + ".operators.json", TestContext.Current.CancellationToken))!;
        Assert.Equal(("admin", OperatorRoles.Operator), (file.Name, file.Role));
        Assert.StartsWith("AQAAAA", file.PasswordHash);
        Assert.Null(directory.Verify("admin", ""));
        Assert.Null(directory.Verify("admin", "admin"));
    }

    [Fact]
    public async Task The_bootstrap_password_setting_sets_the_first_password()
    {
        using var db = new TempDatabase();
        await using var app = new WebAppFactory(db, b => b.UseSetting("Admin:BootstrapPassword", "scripted-secret"));
        Assert.NotNull(app.Services.GetRequiredService<OperatorDirectory>().Verify("admin", "scripted-secret"));
    }

    [Fact]
    public async Task The_bootstrap_admin_survives_a_restart_with_the_same_password()
    {
        using var db = new TempDatabase();
        await using (var first = new WebAppFactory(db, b => b.UseSetting("Admin:BootstrapPassword", "first")))
            first.Services.GetRequiredService<OperatorDirectory>();
        await using var second = new WebAppFactory(db, b => b.UseSetting("Admin:BootstrapPassword", "changed-setting-is-ignored"));
        Assert.NotNull(second.Services.GetRequiredService<OperatorDirectory>().Verify("admin", "first"));
    }

    [Fact]
    public void A_hash_from_the_command_line_helper_verifies()
    {
        var hash = OperatorDirectory.Hash("p@ss");
        Assert.NotEqual("p@ss", hash);
        Assert.True(new Microsoft.AspNetCore.Identity.PasswordHasher<OperatorAccount>().VerifyHashedPassword(new(), hash, "p@ss")
            != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed);
    }
}
