using SessionAdmin.Core;

namespace SessionAdmin.Web.Endpoints;

/// <summary>The seed's login demo: <c>/login</c>, <c>/secret</c>, <c>/logout</c>.</summary>
internal static class DemoRoutes
{
    /// <summary>The session key that names the signed-in user (the app's Sessions:PrincipalKey).</summary>
    public const string UserKey = "user";

    private const int MaxUserLength = 256;

    private static readonly string[] SessionPaths = ["/login", "/secret", "/logout", "/examples"];

    /// <summary>The paths that run the sessions middleware (the rest of the app has no session cookie).</summary>
    public static bool UseSessions(HttpContext ctx)
    {
        // A loop, not LINQ: this runs for every request, and a lambda over ctx allocated a closure each time.
        foreach (var path in SessionPaths)
            if (ctx.Request.Path.StartsWithSegments(path)) return true;
        return false;
    }

    public static void MapDemoRoutes(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/login", [HttpMethods.Get, HttpMethods.Head], (HttpContext ctx, Sessions sessions, string? user) =>
        {
            // ?user=alice names the session's principal (Sessions:PrincipalKey is "user"); plain /login is the seed's.
            if (user is not null && (user.Trim().Length is 0 or > MaxUserLength))
                return Results.Text($"user must have 1 to {MaxUserLength} characters.", statusCode: StatusCodes.Status400BadRequest);
            var session = sessions.Start(ctx);
            // Authentication goes here. A new ID on every login defeats session fixation.
            sessions.RegenerateID(ctx);
            session.Set("authenticated", true);
            if (user is null) return Results.Text("You are now logged in.");
            session.Set(UserKey, user.Trim());
            return Results.Text($"You are now logged in as {user.Trim()}.");
        });

        app.MapGet("/secret", (HttpContext ctx, Sessions sessions) =>
            sessions.Start(ctx).GetBooleanDefault("authenticated", false)
                ? Results.Text("The cake is a lie!")
                : Results.Text("Forbidden", statusCode: StatusCodes.Status403Forbidden));

        app.MapGet("/logout", (HttpContext ctx, Sessions sessions) =>
        {
            // Revoke the whole session server-side, so the cookie is worthless even if it was copied.
            sessions.Destroy(ctx);
            return Results.Text("You are now logged out.");
        });
    }
}
