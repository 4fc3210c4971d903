using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore;
using SessionAdmin.Core.Requests;

namespace SessionAdmin.Core.Storage;

/// <summary>
/// The EF Core model of the session store; kept provider-neutral (snake_case names, ticks for times). This type
/// carries the SQLite migrations; <see cref="PostgresSessionDbContext"/> the PostgreSQL ones.
/// </summary>
internal class SessionDbContext : DbContext, IDataProtectionKeyContext
{
    /// <summary>A context on <paramref name="options"/>.</summary>
    public SessionDbContext(DbContextOptions<SessionDbContext> options) : base(options) { }

    /// <summary>For a provider's own context type (its own migrations).</summary>
    protected SessionDbContext(DbContextOptions options) : base(options) { }

    /// <summary>Live sessions.</summary>
    public DbSet<SessionRow> Sessions => Set<SessionRow>();

    /// <summary>Their values and flashes.</summary>
    public DbSet<SessionEntryRow> Entries => Set<SessionEntryRow>();

    /// <summary>Why recently ended sessions ended (a day's worth).</summary>
    public DbSet<EndedSessionRow> EndedSessions => Set<EndedSessionRow>();

    /// <summary>What the store was prepared for.</summary>
    public DbSet<StoreSettingRow> StoreSettings => Set<StoreSettingRow>();

    /// <summary>Recent destroys, for the console's feed.</summary>
    public DbSet<DestroyEventRow> DestroyEvents => Set<DestroyEventRow>();

    /// <summary>The operators' audit log.</summary>
    public DbSet<AuditEntryRow> Audit => Set<AuditEntryRow>();

    /// <summary>
    /// The ASP.NET Core Data Protection key ring, kept with the sessions so that every node sharing the store signs
    /// and reads the same cookies (the console's sign-in, antiforgery, encoded session cookies).
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionRow>(e =>
        {
            e.ToTable(Schema.Sessions.Table);
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasColumnName(Schema.Sessions.Id).HasMaxLength(SessionIds.MaxLength);
            e.Property(s => s.CreatedTicks).HasColumnName(Schema.Sessions.CreatedTicks);
            e.Property(s => s.LastAccessTicks).HasColumnName(Schema.Sessions.LastAccessTicks);
            e.Property(s => s.ExpiresTicks).HasColumnName(Schema.Sessions.ExpiresTicks);
            e.Property(s => s.IdleDeadlineTicks).HasColumnName(Schema.Sessions.IdleDeadlineTicks);
            e.Property(s => s.RemoteIp).HasColumnName(Schema.Sessions.RemoteIp).HasMaxLength(64);
            e.Property(s => s.UserAgent).HasColumnName(Schema.Sessions.UserAgent).HasMaxLength(SessionRow.MaxUserAgentLength);
            e.Property(s => s.ValueCount).HasColumnName(Schema.Sessions.ValueCount);
            e.Property(s => s.ValueBytes).HasColumnName(Schema.Sessions.ValueBytes);
            e.Property(s => s.Version).HasColumnName(Schema.Sessions.Version);
            e.Property(s => s.Principal).HasColumnName(Schema.Sessions.Principal).HasMaxLength(Session.MaxPrincipalLength);
            // Only sessions with a principal pay for this index: the anonymous login storm inserts nothing into it.
            // Covers the users page (count, last activity, distinct IPs per principal) without touching the table.
            e.HasIndex(s => new { s.Principal, s.LastAccessTicks, s.RemoteIp }).HasDatabaseName("ix_sessions_principal")
                .HasFilter($"{Schema.Sessions.Principal} IS NOT NULL");
            e.HasIndex(s => s.CreatedTicks).HasDatabaseName("ix_sessions_created");
            e.HasIndex(s => s.LastAccessTicks).HasDatabaseName("ix_sessions_last_access");
            e.HasIndex(s => s.IdleDeadlineTicks).HasDatabaseName("ix_sessions_idle_deadline");
            // Serves the sweep's expiry range (its first column) and covers the live count, so counting scans a
            // narrow index instead of the table. Every index costs each new session a B-tree insert: keep them few.
            e.HasIndex(s => new { s.ExpiresTicks, s.IdleDeadlineTicks }).HasDatabaseName("ix_sessions_deadlines");
            e.HasMany(s => s.Entries).WithOne().HasForeignKey(v => v.SessionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SessionEntryRow>(e =>
        {
            e.ToTable(Schema.Entries.Table);
            e.HasKey(v => new { v.SessionId, v.Kind, v.Key });
            e.Property(v => v.SessionId).HasColumnName(Schema.Entries.SessionId).HasMaxLength(SessionIds.MaxLength);
            e.Property(v => v.Kind).HasColumnName(Schema.Entries.Kind);
            e.Property(v => v.Key).HasColumnName(Schema.Entries.Key).HasMaxLength(256);
            e.Property(v => v.Seq).HasColumnName(Schema.Entries.Seq);
            e.Property(v => v.TypeTag).HasColumnName(Schema.Entries.TypeTag).HasMaxLength(8);
            e.Property(v => v.Payload).HasColumnName(Schema.Entries.Payload);
            e.Property(v => v.Immutable).HasColumnName(Schema.Entries.Immutable);
            e.Property(v => v.FlashRead).HasColumnName(Schema.Entries.FlashRead);
        });
        modelBuilder.Entity<DestroyEventRow>(e =>
        {
            e.ToTable(Schema.DestroyEvents.Table);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName(Schema.DestroyEvents.Id);
            e.Property(x => x.AtTicks).HasColumnName(Schema.DestroyEvents.AtTicks);
            e.Property(x => x.SessionId).HasColumnName(Schema.DestroyEvents.SessionId).HasMaxLength(SessionIds.MaxLength);
            e.Property(x => x.Reason).HasColumnName(Schema.DestroyEvents.Reason);
            e.Property(x => x.Actor).HasColumnName(Schema.DestroyEvents.Actor).HasMaxLength(64);
            e.Property(x => x.Principal).HasColumnName(Schema.DestroyEvents.Principal).HasMaxLength(Session.MaxPrincipalLength);
            e.HasIndex(x => x.AtTicks).HasDatabaseName("ix_destroy_events_at");
            e.HasIndex(x => new { x.Principal, x.Id }).HasDatabaseName("ix_destroy_events_principal").HasFilter($"{Schema.DestroyEvents.Principal} IS NOT NULL");
        });
        modelBuilder.Entity<EndedSessionRow>(e =>
        {
            e.ToTable(Schema.Ended.Table);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName(Schema.Ended.Id).HasMaxLength(SessionIds.MaxLength);
            e.Property(x => x.Reason).HasColumnName(Schema.Ended.Reason);
            e.Property(x => x.AtTicks).HasColumnName(Schema.Ended.AtTicks);
            e.HasIndex(x => x.AtTicks).HasDatabaseName("ix_ended_sessions_at");
        });
        modelBuilder.Entity<StoreSettingRow>(e =>
        {
            e.ToTable(Schema.Settings.Table);
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName(Schema.Settings.Name).HasMaxLength(64);
            e.Property(x => x.Value).HasColumnName(Schema.Settings.Value);
        });
        modelBuilder.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            e.Property(k => k.Xml).HasColumnName("xml");
        });
        modelBuilder.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.AtTicks).HasColumnName("at_ticks");
            e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(64);
            e.Property(x => x.Action).HasColumnName("action").HasMaxLength(32);
            e.Property(x => x.SessionHash).HasColumnName("session_hash").HasMaxLength(16);
            e.Property(x => x.Detail).HasColumnName("detail").HasMaxLength(AuditEntryRow.MaxDetailLength);
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the app.</summary>
internal sealed class SessionDbContextDesignFactory : IDesignTimeDbContextFactory<SessionDbContext>
{
    public SessionDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SessionDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model (no server is contacted to add a migration).</summary>
internal sealed class PostgresSessionDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresSessionDbContext>
{
    public PostgresSessionDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSessionDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
