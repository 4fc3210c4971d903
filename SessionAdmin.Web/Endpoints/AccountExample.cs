using System.Globalization;
using System.Net;
using System.Text;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Web.Components.Console;

namespace SessionAdmin.Web.Endpoints;

/// <summary>
/// <c>/examples/account</c>: a signed-in visitor's own sessions (device, IP, last use; this one marked), "sign out my
/// other sessions", and — once their session was ended — why, in words.
/// </summary>
internal static class AccountExample
{
    private const string Path = "/examples/account";
    private const string NoticeKey = "account-notice";

    public static void MapAccountExample(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext ctx, Sessions sessions, SessionCatalog catalog, TimeProvider time) =>
        {
            var ended = sessions.EndedReason(ctx);
            var session = Sessions.Get(ctx)!;
            var html = new StringBuilder(Head);
            if (session.Principal is not { } user)
            {
                html.Append("<h1>Not signed in</h1>");
                if (ended is { } reason)
                    html.Append(CultureInfo.InvariantCulture, $"<p role=\"status\" data-testid=\"ended-reason\">{Encode(ReasonLabels.ForVisitor(reason))}</p>");
                html.Append("<p><a href=\"/login?user=alice\">Log in as alice</a> or <a href=\"/login?user=bob\">as bob</a>.</p>");
            }
            else
            {
                var mine = await catalog.SessionsOfAsync(user, ctx.RequestAborted);
                html.Append(CultureInfo.InvariantCulture, $"<h1>Signed in as {Encode(user)}</h1>");
                if (session.GetFlashString(NoticeKey) is { Length: > 0 } notice)
                    html.Append(CultureInfo.InvariantCulture, $"<p role=\"status\" data-testid=\"notice\">{Encode(notice)}</p>");
                html.Append(CultureInfo.InvariantCulture, $"<h2>Your sessions ({mine.Count})</h2><table><thead><tr><th>Device</th><th>IP</th><th>Last use</th><th></th></tr></thead><tbody>");
                var now = time.GetUtcNow().UtcDateTime;
                foreach (var s in mine)
                {
                    var current = s.Id == session.ID;
                    var lastUse = current ? "now" : Times.Relative(s.LastAccessUtc, now);
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr data-testid=\"account-session\"><td title=\"{Encode(s.UserAgent)}\">{Encode(DeviceNames.Describe(s.UserAgent))}</td><td>{Encode(s.RemoteIp)}</td><td>{lastUse}</td><td>{(current ? "<strong>this one</strong>" : "")}</td></tr>");
                }
                html.Append("</tbody></table>");
                if (mine.Count > 1)
                    html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Path}/sign-out-others\"><button type=\"submit\">Sign out my other sessions</button></form>");
                html.Append("<p><a href=\"/logout\">Log out</a></p>");
            }
            html.Append("</main></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });

        // A POST from this site only: the session cookie is SameSite=Lax, so another site's form arrives without it.
        app.MapPost($"{Path}/sign-out-others", async (HttpContext ctx, Sessions sessions) =>
        {
            var session = Sessions.Get(ctx)!;
            if (session.Principal is { } user)
            {
                var count = await sessions.DestroyByPrincipalAsync(user, exceptId: session.ID, actor: user, ctx.RequestAborted);
                session.SetFlash(NoticeKey, count == 1 ? "Signed out 1 other session." : $"Signed out {count} other sessions.");
            }
            return Results.Redirect(Path);
        });
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private const string Head = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Your account · SessionAdmin demo</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
          body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
          table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ccc; }
          [role=status] { background: #fff4e5; color: #5c3c00; padding: .5rem .75rem; border-radius: 4px; }
          button { font: inherit; padding: .4rem .9rem; margin-top: 1rem; }
          @media (prefers-color-scheme: dark) { body { background: #1e1e2d; color: #e8e8f0; } a { color: #9ecbff; }
            [role=status] { background: #4a3200; color: #ffe2b3; } th, td { border-color: #444; } }
        </style></head>
        <body><main>
        """;
}
