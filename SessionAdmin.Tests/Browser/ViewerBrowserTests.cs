using Microsoft.Playwright;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Browser;

/// <summary>A viewer's circuit offers nothing that changes a session: there is no control to send an event to.</summary>
public sealed class ViewerBrowserTests() : AppBrowserTest(new Dictionary<string, string>
{
    ["Admin__Operators__0__Name"] = "victor",
    ["Admin__Operators__0__PasswordHash"] = OperatorDirectory.Hash("viewer-password"),
    ["Admin__Operators__0__Role"] = OperatorRoles.Viewer,
})
{
    [Fact]
    public async Task A_viewer_sees_sessions_but_has_no_edit_or_destroy_controls()
    {
        var visitor = await (await Browser.NewContextAsync()).NewPageAsync();
        await visitor.GotoAsync(Url("/login"));

        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        await page.SignInAtAsync(Url("/admin/sessions"), "victor", "viewer-password");
        await page.Locator("[data-testid=session-link]").First.ClickAsync();
        await page.Locator("[data-testid=values]").WaitForAsync();

        Assert.Equal(0, await page.Locator("[data-testid=destroy]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=edit]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=add-value]").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true }).ClickAsync();
        await page.Locator("[data-testid=session-grid]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=destroy-all]").CountAsync());
    }
}
