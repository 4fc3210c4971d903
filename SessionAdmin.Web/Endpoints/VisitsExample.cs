using SessionAdmin.Core;

namespace SessionAdmin.Web.Endpoints;

/// <summary>Iris's <c>_examples/dependency-injection/sessions</c> counter, under <c>/examples/visits</c>.</summary>
internal static class VisitsExample
{
    public static void MapVisitsExample(this IEndpointRouteBuilder app) =>
        app.MapGet("/examples/visits", (HttpContext ctx) =>
        {
            var session = Sessions.Get(ctx) ?? throw new InvalidOperationException("The sessions middleware does not run on this path.");
            return Results.Text($"{session.Increment("visits", 1)} visit(s) from my current session");
        });
}
