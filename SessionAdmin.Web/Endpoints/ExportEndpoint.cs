using System.Text;
using SessionAdmin.Core.Admin;
using SessionAdmin.Web.Components.Console;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Web.Endpoints;

/// <summary>
/// <c>/admin/export/sessions.csv</c>: the sessions a console filter selects, as CSV, streamed from the store to the
/// response (a million rows without holding them). Operators and viewers; never full IDs or values.
/// </summary>
internal static class ExportEndpoint
{
    public const string Path = "/admin/export/sessions.csv";

    public static void MapSessionExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext ctx, SessionCatalog catalog) =>
        {
            if (!SessionQueryParameters.TryParse(ctx.Request.Query, out var query, out var error))
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                await ctx.Response.WriteAsync(error);
                return;
            }
            ctx.Response.ContentType = "text/csv; charset=utf-8";
            ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"sessions-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
            await using var writer = new StreamWriter(ctx.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024);
            await catalog.WriteCsvAsync(query, writer, ctx.RequestAborted);
        }).RequireAuthorization(OperatorRoles.ConsolePolicy);
}
