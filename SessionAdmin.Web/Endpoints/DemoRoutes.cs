using SessionAdmin.Core;

namespace SessionAdmin.Web.Endpoints;

/// <summary>The seed's login demo: <c>/login</c>, <c>/secret</c>, <c>/logout</c>.</summary>
internal static class DemoRoutes
{
    private static readonly string[] SessionPaths = ["/login", "/secret", "/logout", "/examples"];

    /// <summary>The paths that run the sessions middleware (the rest of the app has no session cookie).</summary>
    public static bool UseSessions(HttpContext ctx) => SessionPaths.Any(p => ctx.Request.Path.StartsWithSegments(p));

    public static void MapDemoRoutes(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/login", [HttpMethods.Get, HttpMethods.Head], (HttpContext ctx, Sessions sessions) =>
        {
            var session = sessions.Start(ctx);
            // Authentication goes here. A new ID on every login defeats session fixation.
            sessions.RegenerateID(ctx);
            session.Set("authenticated", true);
            return Results.Text("You are now logged in.");
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
