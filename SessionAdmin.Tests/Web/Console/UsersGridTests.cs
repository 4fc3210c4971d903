using Bunit;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

public sealed class UsersGridTests : ConsoleTestContext
{

    private static IReadOnlyList<string> Users(IRenderedComponent<UsersGrid> cut) =>
        cut.FindAll("[data-testid=user-link]").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public async Task The_users_page_lists_each_signed_in_user_once_with_a_link_to_their_page()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        await LoginAsync("bob");
        await NewSessionAsync(s => s.Set("cart", 1));

        var cut = Render<UsersGrid>();

        cut.WaitForAssertion(() => Assert.Equal(["alice", "bob"], Users(cut)), Wait);
        Assert.Equal("2", cut.Find("[data-testid=users-total]").TextContent.Trim());
        Assert.Equal("/admin/users/alice", cut.Find("[data-testid=user-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_search_box_finds_users_by_prefix()
    {
        await LoginAsync("alice");
        await LoginAsync("bob");
        var cut = Render<UsersGrid>();
        cut.WaitForAssertion(() => Assert.Equal(2, Users(cut).Count), Wait);

        cut.Find(Input("user-search")).Input("bo");

        cut.WaitForAssertion(() => Assert.Equal(["bob"], Users(cut)), Wait);
    }
}
