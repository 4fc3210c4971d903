using System.Diagnostics;
using SessionAdmin.Core.Admin;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Tests.Web.Console;

/// <summary>Tabs showing the same view share one query, but never a page older than what they have not seen yet.</summary>
public sealed class SharedSessionPagesTests : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(DurableStore.Sqlite);
    private readonly SharedSessionPages _pages;
    private static readonly SessionQuery View = new() { Expired = false };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SharedSessionPagesTests() => _pages = new SharedSessionPages(new SessionCatalog(_h.Sessions, _h.Time));

    private async Task NewSessionAsync()
    {
        _h.Cookie = null;
        await _h.RequestAsync(s => s.Set("k", 1));
    }

    [Fact]
    public async Task A_tab_whose_first_unseen_event_came_before_a_query_shares_that_querys_page()
    {
        await NewSessionAsync();
        var unseenSince = Stopwatch.GetTimestamp();
        var first = await _pages.GetAsync(View, Stopwatch.GetTimestamp(), Ct);

        var second = await _pages.GetAsync(View, unseenSince, Ct);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_page_read_before_the_first_unseen_event_is_read_again()
    {
        await NewSessionAsync();
        var first = await _pages.GetAsync(View, Stopwatch.GetTimestamp(), Ct);
        await NewSessionAsync();

        var second = await _pages.GetAsync(View, Stopwatch.GetTimestamp(), Ct);

        Assert.NotSame(first, second);
        Assert.Equal(first.TotalCount + 1, second.TotalCount);
    }

    [Fact]
    public async Task Different_views_do_not_share_a_page()
    {
        await NewSessionAsync();
        var start = Stopwatch.GetTimestamp();
        var live = await _pages.GetAsync(View, start, Ct);

        var all = await _pages.GetAsync(View with { Expired = null }, start, Ct);

        Assert.NotSame(live, all);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
