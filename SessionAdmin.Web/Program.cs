using SessionAdmin.Core;
using SessionAdmin.Web;
using SessionAdmin.Web.Endpoints;
using SessionAdmin.Web.Operators;
using Microsoft.AspNetCore.HttpOverrides;
using Serilog;

if (HashPasswordCommand.TryRun(args)) return Environment.ExitCode;

// A plain logger until the host's configuration is read (a bootstrap logger freezes under parallel test hosts).
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseDefaultAddressWhenNoneIsConfigured();
    builder.Host.UseSerilog((context, services, logger) => logger
        .ReadFrom.Configuration(context.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        // A browser tab that closes takes its circuit's JavaScript with it: components that call it then are not errors.
        .Filter.ByExcluding(e => e.Exception is Microsoft.JSInterop.JSDisconnectedException));

    builder.Services
        .AddSessions(builder.Configuration.GetSection("Sessions"))
        .UseConfiguredStore(builder.Configuration, builder.Environment);
    builder.AddConsole();
    builder.Services.Configure<ForwardedHeadersOptions>(o =>
    {
        // Trusted from loopback by default (a proxy on this machine); list others under ForwardedHeaders:KnownProxies.
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
    });

    var app = builder.Build();
    app.UseForwardedHeaders();
    app.UseSerilogRequestLogging(RequestLogging.Configure);
    app.UseConsole();
    app.UseWhen(DemoRoutes.UseSessions, demo => demo.UseSessions());
    app.MapLanding();
    app.MapDemoRoutes();
    app.MapOverviewExamples();
    app.MapFlashExamples();
    app.MapVisitsExample();
    app.MapAccountExample();
    app.MapSessionExport();

    // Create and migrate the store now, so the first request does not pay for it and a bad path fails at startup.
    app.Services.GetRequiredService<Sessions>();
    app.Run();
    return 0;
}
catch (SessionStoreException ex)
{
    // A store this build must not touch (damaged, or migrated by a newer version): the reason is the whole story.
    Log.Fatal("SessionAdmin.Web cannot start: {Reason}", ex.Message);
    return 1;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "SessionAdmin.Web stopped unexpectedly");
    return 1;
}
finally
{
    Log.CloseAndFlush();
}

/// <summary>The web app's entry point (public for the in-process HTTP tests).</summary>
public partial class Program;
