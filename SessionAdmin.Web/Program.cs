using SessionAdmin.Core;
using SessionAdmin.Web;
using SessionAdmin.Web.Endpoints;
using SessionAdmin.Web.Operators;
using Microsoft.Extensions.Options;
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
    builder.AddForwardedHeaders();

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
catch (Exception ex) when (ex is SessionStoreException or OptionsValidationException)
{
    // A setting out of range, or a store this build must not touch (damaged, or migrated by a newer version): the
    // reason is the whole story, a stack trace would only hide it.
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
