using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SessionAdmin.Core;

/// <summary>Registers the sessions manager in dependency injection.</summary>
public static class SessionsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="Sessions"/> as a singleton, its options bound from <paramref name="section"/>.</summary>
    public static SessionsBuilder AddSessions(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<SessionsConfig>(section);
        return AddCore(services);
    }

    /// <summary>Adds <see cref="Sessions"/> as a singleton, configured in code.</summary>
    public static SessionsBuilder AddSessions(this IServiceCollection services, Action<SessionsConfig> configure)
    {
        services.Configure(configure);
        return AddCore(services);
    }

    private static SessionsBuilder AddCore(IServiceCollection services)
    {
        // A wrong setting stops the start with one message naming it, not the first request.
        services.AddOptions<SessionsConfig>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsConfig>, SessionsConfigRules>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISessionDatabase>(_ => new MemorySessionDatabase());
        services.TryAddSingleton(sp =>
        {
            var sessions = new Sessions(
                sp.GetRequiredService<IOptions<SessionsConfig>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>(),
                sp.GetService<IMeterFactory>());
            sessions.UseDatabase(sp.GetRequiredService<ISessionDatabase>());
            return sessions;
        });
        return new SessionsBuilder(services);
    }

    /// <summary>Adds the <see cref="Sessions.Handler"/> middleware: every request below it has <see cref="Sessions.Get"/>.</summary>
    public static IApplicationBuilder UseSessions(this IApplicationBuilder app, params Action<Microsoft.AspNetCore.Http.CookieOptions>[] cookieOptions) =>
        app.Use(app.ApplicationServices.GetRequiredService<Sessions>().Handler(cookieOptions));
}

/// <summary>Chooses the store of the <see cref="Sessions"/> registered by <c>AddSessions</c>.</summary>
public sealed class SessionsBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Keeps sessions in an EF Core SQLite database (created and migrated on first use).</summary>
    public SessionsBuilder UseSqlite(string connectionString) =>
        UseDatabase(_ => EfSessionDatabase.ForSqlite(connectionString));

    /// <summary>
    /// Keeps sessions in a PostgreSQL database (migrated on first use) that several app nodes may share: each node's
    /// cache follows the others' changes, and destroy events fire once in the cluster.
    /// </summary>
    public SessionsBuilder UsePostgres(string connectionString) =>
        UseDatabase(_ => EfSessionDatabase.ForPostgres(connectionString));

    /// <summary>Keeps sessions in the store <paramref name="factory"/> creates.</summary>
    public SessionsBuilder UseDatabase(Func<IServiceProvider, ISessionDatabase> factory)
    {
        Services.Replace(ServiceDescriptor.Singleton<ISessionDatabase>(factory));
        return this;
    }
}
