namespace SessionAdmin.Web;

/// <summary>Where the app keeps its sessions.</summary>
internal static class SessionStore
{
    /// <summary><c>ConnectionStrings:Sessions</c>, or a SQLite file in the app's data folder (App_Data).</summary>
    public static string ConnectionString(IConfiguration configuration, IWebHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString("Sessions");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        return $"Data Source={Path.Combine(environment.ContentRootPath, "App_Data", "sessions.db")}";
    }
}
