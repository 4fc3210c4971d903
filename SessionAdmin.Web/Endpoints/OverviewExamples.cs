using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SessionAdmin.Core;

namespace SessionAdmin.Web.Endpoints;

/// <summary>Iris's <c>_examples/sessions/overview</c> app, under <c>/examples/overview</c>.</summary>
internal static class OverviewExamples
{
    private sealed record BusinessModel(string Name);

    public static void MapOverviewExamples(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/examples/overview");

        g.MapGet("/", (HttpContext ctx) =>
        {
            var s = Current(ctx);
            if (s.Len() == 0)
                return Html("no session values stored yet. Navigate to: <a href=\"/examples/overview/set\">set page</a>");
            var html = new StringBuilder("<ul>");
            s.Visit((key, value) => html.Append("<li> ").Append(WebUtility.HtmlEncode($"{key} = {Show(value)}")).Append(" </li>"));
            return Html(html.Append("</ul>").ToString());
        });

        g.MapGet("/set", (HttpContext ctx) =>
        {
            var s = Current(ctx);
            var isNew = s.IsNew;
            s.Set("username", "iris");
            return Results.Text($"All ok session set to: iris [isNew={Lower(isNew)}]");
        });

        g.MapGet("/get", (HttpContext ctx) => Results.Text($"The username on the /set was: {Current(ctx).GetString("username")}"));

        g.MapGet("/set-struct", (HttpContext ctx) =>
        {
            Current(ctx).Set("struct", new BusinessModel("John Doe"));
            return Results.Text("All ok session value of the 'struct' was set.");
        });

        g.MapGet("/get-struct", (HttpContext ctx) =>
        {
            try
            {
                var value = Current(ctx).Decode<BusinessModel>("struct");
                return Results.Text($"Session value of the 'struct' is: {JsonSerializer.Serialize(value)}");
            }
            catch (SessionEntryNotFoundException ex)
            {
                return Results.Text(ex.Message, statusCode: StatusCodes.Status500InternalServerError);
            }
        });

        g.MapGet("/set/{key}/{value}", (HttpContext ctx, string key, string value) =>
        {
            var s = Current(ctx);
            var isNew = s.IsNew;
            s.Set(key, value);
            return Results.Text($"All ok session value of the '{key}' is: {s.GetStringDefault(key, "")} [isNew={Lower(isNew)}]");
        });

        g.MapGet("/get/{key}", (HttpContext ctx, string key) =>
        {
            var value = Current(ctx).Get(key);
            return Results.Text($"The [{key}:{value?.GetType().Name ?? "null"}] on the /set was: {Show(value)}");
        });

        g.MapGet("/set/{type}/{key}/{value}", (HttpContext ctx, string type, string key, string value) =>
        {
            object typed = type switch
            {
                "int" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0,
                "float64" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0d,
                _ => value,
            };
            var s = Current(ctx);
            s.Set(key, typed);
            var stored = s.Get(key);
            return Results.Text($"Key: {key}, Type: {stored?.GetType().Name}, Value: {Show(stored)}");
        });

        g.MapGet("/delete", (HttpContext ctx) => { Current(ctx).Delete("username"); return Results.Ok(); });
        g.MapGet("/clear", (HttpContext ctx) => { Current(ctx).Clear(); return Results.Ok(); });

        g.MapGet("/update", (HttpContext ctx, Sessions sessions) =>
        {
            try
            {
                sessions.ShiftExpiration(ctx);
                return Results.Ok();
            }
            catch (SessionNotFoundException ex)
            {
                return Results.Text(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        });

        g.MapGet("/destroy", (HttpContext ctx, Sessions sessions) => { sessions.Destroy(ctx); return Results.Ok(); });

        g.MapGet("/set-immutable", (HttpContext ctx) =>
        {
            var s = Current(ctx);
            s.SetImmutable("businessEdit", new[] { new BusinessModel("Edward"), new BusinessModel("value 2") });
            // What Decode hands out is a copy: changing it leaves the stored value alone.
            var copy = s.Decode<BusinessModel[]>("businessEdit")!;
            copy[0] = new BusinessModel("Gabriel");
            return Results.Text("All ok session immutable value of 'businessEdit' was set.");
        });

        g.MapGet("/get-immutable", (HttpContext ctx) =>
        {
            var list = Current(ctx).Decode<BusinessModel[]>("businessEdit");
            if (list is null)
                return Html("please navigate to the <a href='/examples/overview/set-immutable'>/set-immutable</a> first");
            return list[0].Name == "Edward"
                ? Results.Text($"[]businessModel[0].Name remains: {list[0].Name}")
                : Results.Text("Report this as a bug: the immutable value changed.", statusCode: StatusCodes.Status500InternalServerError);
        });
    }

    private static Session Current(HttpContext ctx) =>
        Sessions.Get(ctx) ?? throw new InvalidOperationException("The sessions middleware does not run on this path.");

    private static string Lower(bool value) => value ? "true" : "false";

    private static string Show(object? value) => value switch
    {
        null => "<nil>",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        JsonElement json => json.GetRawText(),
        _ => value.ToString() ?? "",
    };

    private static IResult Html(string body) => Results.Content(body, "text/html; charset=utf-8");
}
