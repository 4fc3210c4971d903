using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Web.Components;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Web;

/// <summary>The operator console: Blazor Server with MudBlazor, behind operator sign-in.</summary>
internal static class ConsoleSetup
{
    private const string SignInLimiter = "sign-in";

    public static void AddConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();

        services.Configure<OperatorOptions>(builder.Configuration.GetSection("Admin"));
        services.AddSingleton<OperatorDirectory>();
        services.AddScoped<ConsoleOperatorAccessor>();
        services.AddSingleton<SessionCatalog>();
        services.AddSingleton<SessionFeed>();
        services.AddSingleton<Components.Console.SharedSessionPages>();

        // The key ring lives in the session store, under one application name: every node on a shared store reads the
        // cookies and antiforgery tokens another node wrote (by default each machine keeps keys of its own).
        services.AddDataProtection().SetApplicationName("SessionAdmin").PersistKeysToSessionStore();

        // The operator's own cookie: another name than the demo's session cookie, strict, HttpOnly.
        services.AddAuthentication(OperatorRoles.AuthenticationScheme)
            .AddCookie(OperatorRoles.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "SessionAdmin.Operator";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = OperatorRoles.SignInPath;
                o.AccessDeniedPath = "/admin";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorRoles.ConsolePolicy, p => p.RequireRole(OperatorRoles.Viewer, OperatorRoles.Operator));

        // Sign-in attempts per client address: a password cannot be guessed at speed.
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.Equals(OperatorRoles.SignInPath, StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = 5, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(SignInLimiter));
        });

        services.AddHealthChecks().AddCheck<SessionStoreHealthCheck>("session-store");
    }

    /// <summary>The paths of the console; the demo's routes skip its middleware.</summary>
    private static readonly string[] ConsolePaths = ["/admin", "/_blazor", "/_framework", "/_content"];

    public static bool IsConsole(HttpContext ctx) => ConsolePaths.Any(p => ctx.Request.Path.StartsWithSegments(p));

    // The host puts authentication, authorization and antiforgery in front of the whole pipeline unless the app
    // added them itself; it looks for the keys their Use… methods set, which a branch sets on its own copy only.
    // Endpoints that need them and are reached without them fail closed (the endpoint middleware throws).
    private static void MarkConsoleMiddlewareAdded(IApplicationBuilder app)
    {
        foreach (var key in (string[])["__AuthenticationMiddlewareSet", "__AuthorizationMiddlewareSet", "__AntiforgeryMiddlewareSet"])
            app.Properties[key] = true;
    }

    public static void UseConsole(this WebApplication app)
    {
        // The console's middleware serves the console alone: the demo's routes need no operator, and authenticating
        // every login of a storm against the operator cookie cost ~9 % of its throughput.
        app.UseWhen(IsConsole, console =>
        {
            console.UseConsoleSecurityHeaders();
            console.UseRateLimiter();
            console.UseAuthentication();
            console.UseAuthorization();
            console.UseAntiforgery();
        });
        MarkConsoleMiddlewareAdded(app);
        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(OperatorRoles.ConsolePolicy);
        app.MapHealthChecks("/health");

        // Creates the bootstrap operator (if none is configured) and fills the overview's last hour.
        app.Services.GetRequiredService<OperatorDirectory>();
        app.Services.GetRequiredService<SessionFeed>().LoadActivityAsync().GetAwaiter().GetResult();
    }
}

/// <summary>Healthy when the session store answers a read (a cheap probe: no count over millions of rows).</summary>
internal sealed class SessionStoreHealthCheck(Sessions sessions) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await sessions.Database.LoadAsync("health-probe", cancellationToken);
            return HealthCheckResult.Healthy($"{sessions.ActiveSessions} live sessions");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The session store does not answer.", ex);
        }
    }
}
