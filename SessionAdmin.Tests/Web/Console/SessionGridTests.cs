using Bunit;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

public sealed class SessionGridTests : ConsoleTestContext
{

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
    public async Task The_user_column_links_each_session_to_its_user()
    {
        await LoginAsync("alice");
        await NewSessionAsync();

        var cut = RenderGrid();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut)), Wait);
        Assert.Equal("/admin/users/alice", Assert.Single(cut.FindAll("[data-testid=user-link]")).GetAttribute("href"));
    }

    [Fact]
    public async Task The_user_filter_shows_only_that_users_sessions()
    {
        await LoginAsync("alice");
        await LoginAsync("bob");
        await NewSessionAsync();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut)), Wait);

        cut.Find(Input("user-filter")).Input("bob");

        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);
        Assert.Equal("bob", cut.Find("[data-testid=user-link]").TextContent.Trim());
    }

    [Fact]
    public async Task Destroy_matching_previews_the_count_and_first_rows_then_destroys_only_those()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut)), Wait);
        cut.Find(Input("user-filter")).Input("alice");
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut)), Wait);

        Click(cut, "[data-testid=destroy-matching]");
        dialogs.WaitForAssertion(() => Assert.Contains("2 sessions match: <strong>user=alice; state=live</strong>", dialogs.Markup), Wait);
        Assert.Equal(2, dialogs.FindAll("[data-testid=bulk-preview] tbody tr").Count);
        Click(dialogs, "[data-testid=bulk-confirm]");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-sessions]")), Wait);
        // The live feed empties the grid as the destroys land; the audit entry is written when the whole run ends.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=destroy-progress]")), Wait);
        var left = await Catalog.QueryAsync(new(), Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(bob, Assert.Single(left.Items).Id);
        Assert.Equal("user=alice; state=live: 2 sessions", (await Catalog.AuditLogAsync(1, Xunit.TestContext.Current.CancellationToken))[0].Detail);
    }

    [Fact]
    public async Task Selected_rows_are_destroyed_together()
    {
        for (var i = 0; i < 3; i++) await NewSessionAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut)), Wait);

        Interact(() => cut.FindAll("tbody input[type=checkbox]")[0].Change(true));
        Interact(() => cut.FindAll("tbody input[type=checkbox]")[1].Change(true));
        cut.WaitForAssertion(() => Assert.Contains("Destroy selected (2)", cut.Find("[data-testid=destroy-selected]").TextContent), Wait);
        Click(cut, "[data-testid=destroy-selected]");
        dialogs.WaitForAssertion(() => Assert.Contains("Destroy 2 selected sessions?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Destroy").Click();

        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);
    }

    [Fact]
    public async Task The_export_link_carries_the_current_filter()
    {
        await LoginAsync("alice");
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);

        cut.Find(Input("user-filter")).Input("alice");

        cut.WaitForAssertion(() => Assert.Contains("user=alice", cut.Find("[data-testid=export]").GetAttribute("href")), Wait);
        Assert.StartsWith("/admin/export/sessions.csv?", cut.Find("[data-testid=export]").GetAttribute("href"));
    }

    [Fact]
    public async Task New_sessions_are_counted_on_a_chip_until_the_operator_shows_them()
    {
        await NewSessionAsync();
        // A refresh delay longer than the test: only the chip tells of the new sessions.
        var cut = Render<SessionGrid>(p => p.Add(g => g.PageSize, 10).Add(g => g.RefreshDelay, TimeSpan.FromMinutes(5)));
        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);

        for (var i = 0; i < 3; i++) await NewSessionAsync();

        cut.WaitForAssertion(() => Assert.Equal("+3 new", cut.Find("[data-testid=new-sessions]").TextContent.Trim()), Wait);
        Assert.Equal(1, Rows(cut));
        Click(cut, "[data-testid=new-sessions]");
        cut.WaitForAssertion(() => Assert.Equal(4, Rows(cut)), Wait);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=new-sessions]")), Wait);
    }

    [Fact]
    public async Task Destroy_all_asks_first_and_cancel_keeps_everything()
    {
        await NewSessionAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderGrid();
        cut.WaitForAssertion(() => Assert.Equal(1, Rows(cut)), Wait);

        Click(cut, "[data-testid=destroy-all]");
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

        Click(cut, "[data-testid=destroy-all]");
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
