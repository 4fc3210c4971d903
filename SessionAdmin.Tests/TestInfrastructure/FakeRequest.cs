using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>
/// A request without a server: an <see cref="HttpContext"/> whose response fires its OnStarting callbacks when the
/// test completes it, as Kestrel does when the response starts.
/// </summary>
public sealed class FakeRequest
{
    private sealed class ResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
        private bool _started;

        public override bool HasStarted => _started;

        public override void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

        public async Task StartAsync()
        {
            if (_started) return;
            // ASP.NET Core runs OnStarting callbacks last-registered first.
            for (var i = _onStarting.Count - 1; i >= 0; i--) await _onStarting[i].Callback(_onStarting[i].State);
            _started = true;
        }
    }

    private readonly ResponseFeature _response = new();

    public FakeRequest(string? cookieHeader = null, string host = "localhost", bool https = false)
    {
        Context = new DefaultHttpContext();
        Context.Features.Set<IHttpResponseFeature>(_response);
        Context.Request.Host = new HostString(host);
        Context.Request.Scheme = https ? "https" : "http";
        if (cookieHeader is not null) Context.Request.Headers.Cookie = cookieHeader;
    }

    public HttpContext Context { get; }

    /// <summary>Starts the response (the session commit runs here) and returns what the client would see.</summary>
    public async Task<Exchange> CompleteAsync()
    {
        await _response.StartAsync();
        return new Exchange(Context.Response.StatusCode, Context.Response.Headers.SetCookie.Where(c => c is not null).Select(c => c!).ToList());
    }
}

/// <summary>What a response carried: status and Set-Cookie headers.</summary>
public sealed record Exchange(int Status, IReadOnlyList<string> SetCookies)
{
    public string? CookieValue(string name) =>
        SetCookies.Where(c => c.StartsWith(name + "=", StringComparison.Ordinal))
                  .Select(c => c[(name.Length + 1)..].Split(';')[0])
                  .LastOrDefault();

    public IReadOnlyList<string> CookiesNamed(string name) =>
        SetCookies.Where(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToList();
}
