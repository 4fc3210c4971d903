namespace SessionAdmin.Core.Storage;

/// <summary>A store the admin API can query with EF Core (sorting, filtering, paging on the server).</summary>
internal interface IQueryableSessionStore
{
    /// <summary>A new context on the store (one per operation).</summary>
    SessionDbContext CreateContext();
}
