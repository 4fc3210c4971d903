using Bunit;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

public sealed class EventFeedTests : ConsoleTestContext
{

    [Fact]
    public async Task The_feed_starts_with_the_persisted_history()
    {
        var id = await NewSessionAsync();
        Harness.Sessions.DestroyByID(id);

        var cut = Render<EventFeed>();

        cut.WaitForAssertion(() => Assert.Equal("…" + id[^8..], cut.Find("[data-testid=event-id]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task New_destroys_arrive_live_newest_first_with_reason_and_operator()
    {
        var first = await NewSessionAsync();
        var second = await NewSessionAsync();
        var cut = Render<EventFeed>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-events]"), Wait);

        Harness.Sessions.DestroyByID(first);
        await Harness.Sessions.DestroyByIDAsync(second, "olga");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=event-id]").Count), Wait);
        var ids = cut.FindAll("[data-testid=event-id]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["…" + second[^8..], "…" + first[^8..]], ids);
        Assert.Equal(["operator", "destroyed by ID"], cut.FindAll("[data-testid=event-reason]").Select(e => e.TextContent.Trim()));
        Assert.Equal("olga", cut.FindAll("[data-testid=event-actor]")[0].TextContent.Trim());
    }

    [Fact]
    public async Task Destroy_all_shows_as_its_own_reason()
    {
        await NewSessionAsync(s => s.Set("k", 1));
        var cut = Render<EventFeed>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-events]"), Wait);

        await Harness.Sessions.DestroyAllAsync(Xunit.TestContext.Current.CancellationToken);

        cut.WaitForAssertion(() => Assert.Equal("destroy-all", cut.Find("[data-testid=event-reason]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task Disposing_the_feed_unsubscribes()
    {
        Render<EventFeed>();
        Assert.Equal(1, Feed.SubscriberCount);
        await DisposeComponentsAsync();
        Assert.Equal(0, Feed.SubscriberCount);
    }
}

public sealed class OverviewDashboardTests : ConsoleTestContext
{
    [Fact]
    public async Task The_cards_count_live_sessions_and_the_last_hours_activity()
    {
        await NewSessionAsync();
        var doomed = await NewSessionAsync();
        Harness.Sessions.DestroyByID(doomed);
        await Harness.Sessions.RefreshActiveCountAsync(Xunit.TestContext.Current.CancellationToken);
        // Creations reach the feed on the manager's event thread; the cards are read once they have.
        await Poll.UntilAsync(() => Feed.Activity.LastHour().Sum(m => m.Created) >= 2);

        var cut = Render<OverviewDashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", cut.Find("[data-testid=active-count]").TextContent.Trim());
            Assert.Equal("2", cut.Find("[data-testid=created-count]").TextContent.Trim());
            Assert.Equal("1", cut.Find("[data-testid=destroyed-count]").TextContent.Trim());
        }, TimeSpan.FromSeconds(5));
    }
}
