namespace SessionAdmin.Web.Endpoints;

/// <summary>The plain page at <c>/</c> that links the demo routes.</summary>
internal static class LandingPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>SessionAdmin</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
        <h1>SessionAdmin</h1>
        <p>Iris-style sessions on ASP.NET Core, durable in SQLite.</p>
        <h2>Login demo</h2>
        <ul>
          <li><a href="/login">/login</a> – start an authenticated session (new session ID)</li>
          <li><a href="/secret">/secret</a> – the cake, for authenticated sessions only</li>
          <li><a href="/logout">/logout</a> – destroy the session</li>
          <li><a href="/login?user=alice">/login?user=alice</a> – log in as a user (the session names its principal),
            then <a href="/examples/account">/examples/account</a> – your sessions, "sign out my other sessions",
            and why a session ended</li>
        </ul>
        <h2>Iris examples</h2>
        <ul>
          <li><a href="/examples/overview/">/examples/overview/</a> – the whole session API
            (<a href="/examples/overview/set">set</a>, <a href="/examples/overview/get">get</a>,
            <a href="/examples/overview/set/color/blue">set/color/blue</a>, <a href="/examples/overview/get/color">get/color</a>,
            <a href="/examples/overview/set/int/visits/42">set/int/visits/42</a>,
            <a href="/examples/overview/set-struct">set-struct</a>, <a href="/examples/overview/get-struct">get-struct</a>,
            <a href="/examples/overview/set-immutable">set-immutable</a>, <a href="/examples/overview/get-immutable">get-immutable</a>,
            <a href="/examples/overview/delete">delete</a>, <a href="/examples/overview/clear">clear</a>,
            <a href="/examples/overview/update">update</a>, <a href="/examples/overview/destroy">destroy</a>)</li>
          <li><a href="/examples/visits">/examples/visits</a> – a counter (<code>Increment</code>)</li>
          <li><a href="/examples/flash/set">/examples/flash/set</a>, then <a href="/examples/flash/get">get</a>
            or <a href="/examples/flash/test">test</a> – flash messages</li>
        </ul>
        </body>
        </html>
        """;

    public static void MapLanding(this IEndpointRouteBuilder app) =>
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8"));
}
