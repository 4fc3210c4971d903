using SessionAdmin.Core;

namespace SessionAdmin.Web.Endpoints;

/// <summary>Iris's <c>_examples/sessions/flash-messages</c> app, under <c>/examples/flash</c>.</summary>
internal static class FlashExamples
{
    public static void MapFlashExamples(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/examples/flash");

        g.MapGet("/set", (HttpContext ctx) =>
        {
            Current(ctx).SetFlash("name", "iris");
            return Results.Text("Message set, is available for the next request");
        });

        g.MapGet("/get", (HttpContext ctx) =>
        {
            var name = Current(ctx).GetFlashString("name");
            return Results.Text(name.Length == 0 ? "Empty name!!" : $"Hello {name}");
        });

        g.MapGet("/test", (HttpContext ctx) =>
        {
            var s = Current(ctx);
            var name = s.GetFlashString("name");
            if (name.Length == 0) return Results.Text("Empty name!!");
            return Results.Text($"Ok you are coming from /set ,the value of the name is {name}, and again from the same context: {s.GetFlashString("name")}");
        });
    }

    private static Session Current(HttpContext ctx) =>
        Sessions.Get(ctx) ?? throw new InvalidOperationException("The sessions middleware does not run on this path.");
}
