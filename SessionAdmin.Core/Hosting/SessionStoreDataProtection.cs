using Microsoft.Extensions.DependencyInjection;
using SessionAdmin.Core;
using SessionAdmin.Core.Storage;

namespace Microsoft.AspNetCore.DataProtection;

/// <summary>Keeps the ASP.NET Core Data Protection key ring in the session store.</summary>
public static class SessionStoreDataProtection
{
    /// <summary>
    /// Persists the key ring in the session store's EF Core database (<c>UseSqlite</c>/<c>UsePostgres</c>), so every node
    /// sharing the store protects and reads the same cookies and antiforgery tokens (by default each machine keeps keys of
    /// its own). Give the nodes one application name too (<c>SetApplicationName</c>).
    /// </summary>
    public static IDataProtectionBuilder PersistKeysToSessionStore(this IDataProtectionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped(sp => sp.GetRequiredService<Sessions>().QueryableStore?.CreateContext()
            ?? throw new InvalidOperationException("PersistKeysToSessionStore needs the EF Core session store (UseSqlite or UsePostgres)."));
        return builder.PersistKeysToDbContext<SessionDbContext>();
    }
}
