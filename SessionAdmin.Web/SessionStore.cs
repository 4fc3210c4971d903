using Microsoft.Extensions.Options;
using SessionAdmin.Core.Hosting;
using SessionAdmin.Core;

namespace SessionAdmin.Web;

/// <summary>Where the app keeps its sessions: <c>Sessions:Store</c> picks SQLite (the default) or PostgreSQL.</summary>
internal static class SessionStore
{
    /// <summary>Chooses the store from configuration; an unknown store or a missing PostgreSQL connection string stops the start.</summary>
    public static SessionsBuilder UseConfiguredStore(this SessionsBuilder sessions, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var store = configuration["Sessions:Store"] is { Length: > 0 } configured ? configured : "Sqlite";
        var connectionString = configuration.GetConnectionString("Sessions");
        return store.ToUpperInvariant() switch
        {
            "SQLITE" => sessions.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite(environment) : connectionString),
            "POSTGRES" or "POSTGRESQL" => sessions.UsePostgres(string.IsNullOrWhiteSpace(connectionString)
                ? throw Problem("Sessions:Store is Postgres: set ConnectionStrings:Sessions to the database's connection string.")
                : connectionString),
            _ => throw Problem($"Sessions:Store must be Sqlite or Postgres, not '{store}'."),
        };
    }

    private static OptionsValidationException Problem(string message) => new("Sessions:Store", typeof(SessionsConfig), [message]);

    // A SQLite file in the app's data folder, created on first run.
    private static string DefaultSqlite(IWebHostEnvironment environment) =>
        $"Data Source={Path.Combine(environment.ContentRootPath, "App_Data", "sessions.db")}";
}
