using Bunit;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

public sealed class SessionGridTests : ConsoleTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private IRenderedComponent<SessionGrid> RenderGrid(int pageSize = 10) =>
        Render<SessionGrid>(p => p.Add(g => g.PageSize, pageSize).Add(g => g.RefreshDelay, TimeSpan.FromMilliseconds(10)));

    private static int Rows(IRenderedComponent<SessionGrid> cut) => cut.FindAll("[data-testid=session-link]").Count;

    [Fact]
    public async Task The_grid_shows_one_page_and_the_total()
    {
        for (var i = 0; i < 13; i++) await NewSessionAsync(s => s.Set("i", i));

        var cut = RenderGrid(pageSize: 10);

        cut.WaitForAssertion(() => Assert.Equal(10, Rows(cut)), Wait);
        Assert.Equal("13", cut.Find("[data-testid=session-total]").TextContent.Trim());
    }

    [Fact]
    public async Task The_next_page_holds_the_rest()
    {
        for (var i = 0; i < 13; i++) await NewSessionAsync(s => s.Set("i", i));
        var cut = RenderGrid(pageSize: 10);
        cut.WaitForAssertion(() => Assert.Equal(10, Rows(cut)), Wait);

        cut.Find("button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut)), Wait);
    }

    [Fact]
    public async Task The_search_box_filters_in_the_store()
    {
        var wanted = await NewSessionAsync(s => s.Set("cart", 1));
        for (var i = 0; i < 4; i++) await NewSessionAsync(s => s.Set("other", i));
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(5, Rows(cut)), Wait);

        cut.Find(Input("search")).Input("cart");

        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);
        Assert.Equal("…" + wanted[^8..], cut.Find("[data-testid=session-link]").TextContent.Trim());
    }

    [Fact]
    public async Task A_new_session_appears_without_a_refresh()
    {
        await NewSessionAsync();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);

        await NewSessionAsync();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut)), Wait);
    }

    [Fact]
    public async Task A_destroyed_session_disappears_without_a_refresh()
    {
        var id = await NewSessionAsync();
        await NewSessionAsync();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut)), Wait);

        Harness.Sessions.DestroyByID(id);

        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);
    }

    [Fact]
    public async Task Destroy_all_asks_first_and_cancel_keeps_everything()
    {
        await NewSessionAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);

        cut.Find("[data-testid=destroy-all]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Destroy all sessions?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.Equal(1, (await Catalog.QueryAsync(new(), Xunit.TestContext.Current.CancellationToken)).TotalCount);
    }

    [Fact]
    public async Task Destroy_all_confirmed_empties_the_store()
    {
        for (var i = 0; i < 3; i++) await NewSessionAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut)), Wait);

        cut.Find("[data-testid=destroy-all]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Destroy all sessions?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Destroy all").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-sessions]")), Wait);
        Assert.Equal(0, (await Catalog.QueryAsync(new(), Xunit.TestContext.Current.CancellationToken)).TotalCount);
    }

    [Fact]
    public async Task Disposing_the_grid_unsubscribes_from_the_feed()
    {
        var cut = RenderGrid();
        Assert.Equal(1, Feed.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, Feed.SubscriberCount);
    }
}

public sealed class SessionGridViewerTests() : ConsoleTestContext(SessionAdmin.Web.Operators.OperatorRoles.Viewer)
{
    [Fact]
    public void A_viewer_gets_no_destroy_all_button()
    {
        var cut = Render<SessionGrid>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-sessions]")), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=destroy-all]"));
    }
}
