using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionAdmin.Core;
using SessionAdmin.Core.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

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
                sp.GetService<IMeterFactory>(),
                sweepsOnItsOwn: false);
            sessions.UseDatabase(sp.GetRequiredService<ISessionDatabase>());
            return sessions;
        });
        // The host starts the sweep with the application and stops it before the container disposes the manager.
        services.AddHostedService(sp => sp.GetRequiredService<Sessions>().Sweeper);
        return new SessionsBuilder(services);
    }
}
