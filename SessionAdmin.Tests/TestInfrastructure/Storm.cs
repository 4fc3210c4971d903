using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>
/// Load for the fault tests, spread over the nodes like a load balancer would: workers logging in (the seed's login
/// storm) and visitors counting their visits (<c>/examples/visits</c>), each answer recorded. A node that refuses
/// connections (stopped) is skipped for the next one, as a balancer's health check would.
/// </summary>
public sealed class Storm : IAsyncDisposable
{
    /// <summary>One answer: when it came, from which node, for which route, its status and how long it took.</summary>
    public sealed record Answer(long At, int Node, string Route, int Status, TimeSpan Took);

    /// <summary>The status of a request the node did not accept (connection refused: it is not listening).</summary>
    public const int Refused = 0;

    /// <summary>The status of a request that was sent and got no answer (reset, cut, timed out).</summary>
    public const int Unanswered = -1;

    /// <summary>A visitor with its own session, and how many of its visits were answered 200.</summary>
    public sealed class Visitor(string cookie, int visits)
    {
        public string Cookie { get; } = cookie;
        public int Acknowledged { get; set; } = visits;
        public int LostSessions { get; set; }
    }

    private readonly Func<IReadOnlyList<Uri>> _nodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];

    private Storm(Func<IReadOnlyList<Uri>> nodes) => _nodes = nodes;

    public ConcurrentQueue<Answer> Answers { get; } = new();
    public ConcurrentBag<string> AnsweredLogins { get; } = [];
    public List<Visitor> Visitors { get; } = [];

    /// <summary>How many answers match.</summary>
    public int Count(Func<Answer, bool> match) => Answers.Count(match);

    /// <summary>Starts <paramref name="logins"/> login workers and <paramref name="visitors"/> counting visitors.</summary>
    public static async Task<Storm> StartAsync(Func<IReadOnlyList<Uri>> nodes, int logins, int visitors)
    {
        var storm = new Storm(nodes);
        for (var v = 0; v < visitors; v++)
        {
            using var client = Client(nodes()[v % nodes().Count]);
            using var first = await client.Get("/examples/visits");
            storm.Visitors.Add(new Visitor(first.SessionCookie() ?? throw new InvalidOperationException("no visitor cookie"), 1));
        }
        for (var w = 0; w < logins; w++) storm._workers.Add(Task.Run(() => storm.LogInAsync(w)));
        foreach (var visitor in storm.Visitors) storm._workers.Add(Task.Run(() => storm.VisitAsync(visitor)));
        return storm;
    }

    /// <summary>Stops the load and waits for the requests in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private async Task LogInAsync(int worker)
    {
        var turn = worker;
        while (!_stop.IsCancellationRequested)
        {
            var (node, response) = await SendAsync(turn++, "/login", null);
            if (response is null) continue;
            using (response)
            {
                if ((int)response.StatusCode == 200 && response.SessionCookie() is { } cookie) AnsweredLogins.Add(cookie);
            }
        }
    }

    private async Task VisitAsync(Visitor visitor)
    {
        var turn = 0;
        while (!_stop.IsCancellationRequested)
        {
            var (_, response) = await SendAsync(turn++, "/examples/visits", visitor.Cookie);
            if (response is null) continue;
            using (response)
            {
                if ((int)response.StatusCode != 200) continue;
                // A new cookie would mean the visitor's session was not found: its count starts over.
                if (response.SessionCookie() is not null) visitor.LostSessions++;
                visitor.Acknowledged++;
            }
        }
    }

    // Sends to the node whose turn it is, or the next one answering; null when the storm stopped first.
    private async Task<(int Node, HttpResponseMessage? Response)> SendAsync(int turn, string route, string? cookie)
    {
        var nodes = _nodes();
        for (var attempt = 0; attempt < nodes.Count * 2 && !_stop.IsCancellationRequested; attempt++)
        {
            var node = (turn + attempt) % nodes.Count;
            using var client = Client(nodes[node]);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await client.Get(route, cookie);
                Answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), node, route, (int)response.StatusCode, Stopwatch.GetElapsedTime(started)));
                return (node, response);
            }
            catch (HttpRequestException ex)
            {
                // The node is away: a balancer sends the request to the next one. Refused means never accepted; anything
                // else (a reset, a cut) means an accepted request got no answer.
                var status = ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }
                    ? Refused : Unanswered;
                Answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), node, route, status, Stopwatch.GetElapsedTime(started)));
            }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
            {
                Answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), node, route, Unanswered, Stopwatch.GetElapsedTime(started)));
            }
            catch (TaskCanceledException)
            {
                break;
            }
        }
        if (!_stop.IsCancellationRequested) await Task.Delay(20);
        return (-1, null);
    }

    // A client per request keeps no connection to a node that went away.
    private static HttpClient Client(Uri node) => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = node,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>What the visitor's session counts now (one more visit, on <paramref name="node"/>).</summary>
    public static async Task<int> VisitsCountedAsync(Uri node, Visitor visitor)
    {
        using var client = Client(node);
        using var response = await client.Get("/examples/visits", visitor.Cookie);
        var body = await response.BodyAsync();
        return int.Parse(body.AsSpan(0, body.IndexOf(' ')), CultureInfo.InvariantCulture);
    }

    /// <summary>How many of the answered logins the node no longer honours (each asks /secret once).</summary>
    public async Task<int> LostLoginsAsync(Uri node)
    {
        var lost = 0;
        await Parallel.ForEachAsync(AnsweredLogins, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (cookie, _) =>
        {
            using var client = Client(node);
            using var secret = await client.Get("/secret", cookie);
            if (await secret.BodyAsync() != "The cake is a lie!") Interlocked.Increment(ref lost);
        });
        return lost;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
