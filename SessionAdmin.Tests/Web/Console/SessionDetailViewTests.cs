using Bunit;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

public sealed class SessionDetailViewTests : ConsoleTestContext
{

    private IRenderedComponent<SessionDetailView> RenderDetail(string id)
    {
        var cut = Render<SessionDetailView>(p => p.Add(d => d.SessionId, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=session-id]"), Wait);
        return cut;
    }

    private static void StartEditing(IRenderedComponent<SessionDetailView> cut, string key)
    {
        var row = cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid=value-key]")?.TextContent.Trim() == key);
        row.QuerySelector("[data-testid=edit]")!.Click();
    }

    [Fact]
    public async Task Values_show_their_type_and_immutables_are_marked_and_not_editable()
    {
        var id = await NewSessionAsync(s => { s.Set("n", 42); s.SetImmutable("role", "admin"); s.SetFlash("note", "hi"); });

        var cut = RenderDetail(id);

        Assert.Contains("Int32", cut.Find("[data-testid=values]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=immutable]"));
        Assert.Single(cut.FindAll("[data-testid=edit]"));
        Assert.Contains("hi", cut.Find("[data-testid=flashes]").TextContent);
    }

    [Fact]
    public async Task An_edit_that_fits_is_saved()
    {
        var id = await NewSessionAsync(s => s.Set("n", 42));
        var cut = RenderDetail(id);

        StartEditing(cut, "n");
        cut.Find(Input("edit-text")).Change("43");
        cut.Find("[data-testid=save-value]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=save-value]")), Wait);
        Assert.Equal(43, await StoredAsync(id, "n"));
        Assert.Contains("43", cut.Find("[data-testid=value-text]").TextContent);
    }

    [Fact]
    public async Task A_wrong_typed_edit_is_refused_with_a_message_and_the_value_stays()
    {
        var id = await NewSessionAsync(s => s.Set("n", 42));
        var cut = RenderDetail(id);

        StartEditing(cut, "n");
        cut.Find(Input("edit-text")).Change("forty-three");
        cut.Find("[data-testid=save-value]").Click();

        cut.WaitForAssertion(() => Assert.Contains("is not a valid Int32", cut.Markup), Wait);
        Assert.NotEmpty(cut.FindAll("[data-testid=save-value]"));
        Assert.Equal(42, await StoredAsync(id, "n"));
    }

    [Fact]
    public async Task Invalid_json_is_refused_with_the_parser_message()
    {
        var id = await NewSessionAsync(s => s.Set("obj", new { A = 1 }));
        var cut = RenderDetail(id);

        StartEditing(cut, "obj");
        cut.Find(Input("edit-text")).Change("{\"A\":");
        cut.Find("[data-testid=save-value]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Not valid JSON", cut.Markup), Wait);
    }

    [Fact]
    public async Task Adding_a_key_with_a_value_that_does_not_fit_is_refused()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        var cut = RenderDetail(id);

        cut.Find(Input("new-key")).Change("count");
        cut.Find(Input("new-value")).Change("12");
        cut.Find("[data-testid=add-value]").Click();

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=value-key]"), k => k.TextContent.Trim() == "count"), Wait);
        Assert.Equal("12", await StoredAsync(id, "count"));
    }

    [Fact]
    public async Task Destroy_asks_for_confirmation_and_cancel_keeps_the_session()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderDetail(id);

        cut.Find("[data-testid=destroy]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Destroy session?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.Equal(1, await StoredAsync(id, "k"));
    }

    [Fact]
    public async Task Destroy_confirmed_removes_the_session()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderDetail(id);

        cut.Find("[data-testid=destroy]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Destroy session?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Destroy").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=session-gone]"), Wait);
        Assert.Null(await Catalog.GetAsync(id, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_session_destroyed_elsewhere_is_shown_as_gone()
    {
        var id = await NewSessionAsync(s => s.Set("k", 1));
        var cut = RenderDetail(id);

        Harness.Sessions.DestroyByID(id);

        cut.WaitForAssertion(() => Assert.Contains("destroyed by ID", cut.Find("[data-testid=session-gone]").TextContent), Wait);
    }

    [Fact]
    public async Task Disposing_the_detail_view_unsubscribes()
    {
        var id = await NewSessionAsync();
        RenderDetail(id);

        await DisposeComponentsAsync();

        Assert.Equal(0, Feed.SubscriberCount);
    }
}

public sealed class SessionDetailViewerTests() : ConsoleTestContext(SessionAdmin.Web.Operators.OperatorRoles.Viewer)
{
    [Fact]
    public async Task A_viewer_sees_values_but_no_edit_or_destroy_controls()
    {
        var id = await NewSessionAsync(s => s.Set("n", 1));
        var cut = Render<SessionDetailView>(p => p.Add(d => d.SessionId, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=session-id]"), TimeSpan.FromSeconds(5));

        Assert.Contains("n", cut.Find("[data-testid=values]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=edit]"));
        Assert.Empty(cut.FindAll("[data-testid=destroy]"));
        Assert.Empty(cut.FindAll("[data-testid=add-value]"));
    }
}
