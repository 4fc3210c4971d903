using Serilog.AspNetCore;
using Serilog.Events;

namespace SessionAdmin.Web;

/// <summary>
/// One structured line per request, naming the route pattern rather than the path: the demo's paths carry session
/// values (<c>/examples/overview/set/{key}/{value}</c>), and no session value is ever logged.
/// </summary>
internal static class RequestLogging
{
    public static void Configure(RequestLoggingOptions options)
    {
        options.MessageTemplate = "HTTP {RequestMethod} {RoutePattern} responded {StatusCode} in {Elapsed:0.0000} ms";
        options.GetLevel = Level;
        options.GetMessageTemplateProperties = (ctx, _, elapsed, status) =>
        [
            new LogEventProperty("RequestMethod", new ScalarValue(ctx.Request.Method)),
            new LogEventProperty("RoutePattern", new ScalarValue(RoutePattern(ctx))),
            new LogEventProperty("StatusCode", new ScalarValue(status)),
            new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
        ];
    }

    // A 503 is the answer while the session store is away: the sessions manager logs the outage once, with its counts,
    // so each such request is a warning in the access log, not an error of its own.
    private static LogEventLevel Level(HttpContext ctx, double elapsedMs, Exception? ex) =>
        ex is not null ? LogEventLevel.Error
        : ctx.Response.StatusCode == StatusCodes.Status503ServiceUnavailable ? LogEventLevel.Warning
        : ctx.Response.StatusCode > 499 ? LogEventLevel.Error
        : LogEventLevel.Information;

    private static string RoutePattern(HttpContext ctx) =>
        (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? (ctx.Response.StatusCode == 404 ? "(no route)" : "(middleware)");
}
