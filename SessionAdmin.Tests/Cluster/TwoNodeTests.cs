using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using SessionAdmin.Tests.Browser;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Cluster;

/// <summary>
/// The seed's demo across two nodes on one PostgreSQL: a visitor's requests may land on either node, and each
/// node answers as if it were the only one; an operator watching either console sees every destroy once.
/// </summary>
public sealed partial class TwoNodeTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private static async Task<string> LoginAsync(AppProcess node)
    {
        using var client = node.Client();
        using var login = await client.Get("/login");
        return login.SessionCookie() ?? throw new InvalidOperationException("/login set no session cookie");
    }

    private static async Task<(int Status, string Body)> GetAsync(AppProcess node, string path, string cookie)
    {
        using var client = node.Client();
        using var response = await client.Get(path, cookie);
        return ((int)response.StatusCode, await response.BodyAsync());
    }

    [Fact]
    public async Task A_login_on_node_A_is_served_the_cake_on_node_B()
    {
        var cookie = await LoginAsync(cluster.A);

        Assert.Equal((200, "The cake is a lie!"), await GetAsync(cluster.B, "/secret", cookie));
    }

    [Fact]
    public async Task Alternating_increments_on_A_and_B_count_exactly()
    {
        var cookie = await LoginAsync(cluster.A);
        for (var i = 1; i <= 30; i++)
        {
            var node = i % 2 == 0 ? cluster.B : cluster.A;
            Assert.Equal((200, $"{i} visit(s) from my current session"), await GetAsync(node, "/examples/visits", cookie));
        }
    }

    [Fact]
    public async Task A_logout_on_B_is_refused_at_once_on_A_and_both_consoles_show_it_once()
    {
        var cookie = await LoginAsync(cluster.A);
        Assert.Equal(200, (await GetAsync(cluster.A, "/secret", cookie)).Status);
        var feedA = await DestroyFeedAsync(cluster.A);
        var feedB = await DestroyFeedAsync(cluster.B);

        await GetAsync(cluster.B, "/logout", cookie);

        Assert.Equal((403, "Forbidden"), await GetAsync(cluster.A, "/secret", cookie));
        foreach (var feed in new[] { feedA, feedB })
        {
            var entries = feed.Locator("tr", new() { Has = feed.Locator("[data-testid=event-id]", new() { HasText = cookie[^8..] }) });
            await entries.Locator("[data-testid=event-reason]", new() { HasText = "logout" }).First.WaitForAsync(new() { Timeout = 5_000 });
            // Give a duplicate the time to show up before counting.
            await Task.Delay(1_000, TestContext.Current.CancellationToken);
            Assert.Equal(1, await entries.CountAsync());
        }
        Assert.Equal(1L, await HistoryRowsAsync(cookie));
    }

    [Fact]
    public async Task Every_change_reaches_the_other_node_within_one_second()
    {
        var cookie = await LoginAsync(cluster.A);
        for (var i = 0; i < 20; i++) await GetAsync(i % 2 == 0 ? cluster.A : cluster.B, "/examples/visits", cookie);

        var delays = cluster.A.LinesWith("from another node").Concat(cluster.B.LinesWith("from another node"))
            .Select(line => DelayPattern().Match(line)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();

        Assert.True(delays.Count >= 20, $"only {delays.Count} changes were heard");
        var median = delays[delays.Count / 2];
        var max = delays[^1];
        // Kept for the record (the issue's closing note asks for these figures).
        await File.WriteAllTextAsync(BrowserFixture.ArtifactPath("two-node-invalidation.txt"), string.Create(CultureInfo.InvariantCulture,
            $"changes heard: {delays.Count}, median {median:0.###} ms, max {max:0.###} ms\n"), TestContext.Current.CancellationToken);
        Assert.InRange(max, 0, 1000);
    }

    [Fact]
    public async Task An_operator_signed_in_on_A_is_signed_in_on_B()
    {
        var onA = await DestroyFeedAsync(cluster.A);

        // The same browser (cookies are per host, not per port) opens B's console: B reads A's sign-in cookie.
        var onB = await onA.Context.NewPageAsync();
        await onB.GotoAsync(new Uri(cluster.B.BaseAddress, "/admin/events").ToString());
        await onB.WaitForInteractiveAsync();

        Assert.EndsWith("/admin/events", onB.Url, StringComparison.Ordinal);
    }

    private async Task<IPage> DestroyFeedAsync(AppProcess node)
    {
        var context = await cluster.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAtAsync(new Uri(node.BaseAddress, "/admin/events").ToString(), "admin", TwoNodeCluster.Password);
        return page;
    }

    private async Task<long> HistoryRowsAsync(string sessionId)
    {
        await using var conn = new NpgsqlConnection(cluster.Database.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM destroy_events WHERE session_id = @id", conn);
        cmd.Parameters.AddWithValue("id", sessionId);
        // The node that destroyed the session wrote its history row in the destroying transaction.
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [GeneratedRegex(@"changes from another node, ([0-9.]+) ms after its commit")]
    private static partial Regex DelayPattern();
}
