using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SessionAdmin.Core.Hosting;

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
