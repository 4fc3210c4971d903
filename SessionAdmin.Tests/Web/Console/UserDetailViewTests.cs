using Bunit;
using SessionAdmin.Web.Components.Console;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Web.Console;

public sealed class UserDetailViewTests : ConsoleTestContext
{

    private IRenderedComponent<UserDetailView> RenderUser(string principal) => Render<UserDetailView>(p => p.Add(v => v.Principal, principal));

    private static int Sessions(IRenderedComponent<UserDetailView> cut) => cut.FindAll("[data-testid=user-session]").Count;

    [Fact]
    public async Task The_user_page_lists_only_that_users_sessions()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        await LoginAsync("bob");

        var cut = RenderUser("alice");

        cut.WaitForAssertion(() => Assert.Equal(2, Sessions(cut)), Wait);
        Assert.Equal("2", cut.Find("[data-testid=user-session-count]").TextContent.Trim());
    }

    [Fact]
    public async Task Sign_out_everywhere_asks_first_then_ends_every_session_and_shows_the_destroys()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderUser("alice");
        cut.WaitForAssertion(() => Assert.Equal(2, Sessions(cut)), Wait);

        Click(cut, "[data-testid=sign-out-everywhere]");
        dialogs.WaitForAssertion(() => Assert.Contains("All 2 of alice's sessions end now", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Sign out everywhere").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-user-sessions]")), Wait);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=event-reason]").Count(r => r.TextContent.Contains("signed out everywhere"))), Wait);
        Assert.Empty(await Harness.Sessions.FindByPrincipalAsync("alice", Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancel_keeps_every_session()
    {
        await LoginAsync("alice");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderUser("alice");
        cut.WaitForAssertion(() => Assert.Equal(1, Sessions(cut)), Wait);

        Click(cut, "[data-testid=sign-out-everywhere]");
        dialogs.WaitForAssertion(() => Assert.Contains("Sign out everywhere?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.Single(await Harness.Sessions.FindByPrincipalAsync("alice", Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sign_out_all_but_the_most_recent_keeps_the_last_used_session()
    {
        await LoginAsync("alice");
        var recent = await LoginAsync("alice");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderUser("alice");
        cut.WaitForAssertion(() => Assert.Equal(2, Sessions(cut)), Wait);

        Click(cut, "[data-testid=sign-out-others]");
        dialogs.WaitForAssertion(() => Assert.Contains("the most recently used one stays", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Sign out others").Click();

        cut.WaitForAssertion(() => Assert.Equal(1, Sessions(cut)), Wait);
        Assert.Equal([recent], await Harness.Sessions.FindByPrincipalAsync("alice", Xunit.TestContext.Current.CancellationToken));
    }
}

public sealed class UserDetailViewAsViewerTests() : ConsoleTestContext(OperatorRoles.Viewer)
{
    [Fact]
    public async Task A_viewer_sees_the_sessions_but_no_sign_out_buttons()
    {
        await LoginAsync("alice");

        var cut = Render<UserDetailView>(p => p.Add(v => v.Principal, "alice"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=user-session]")), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=sign-out-everywhere]"));
        Assert.Empty(cut.FindAll("[data-testid=sign-out-others]"));
    }
}
