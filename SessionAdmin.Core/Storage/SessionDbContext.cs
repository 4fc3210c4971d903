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
            e.ToTable("sessions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasColumnName("id").HasMaxLength(SessionIds.MaxLength);
            e.Property(s => s.CreatedTicks).HasColumnName("created_ticks");
            e.Property(s => s.LastAccessTicks).HasColumnName("last_access_ticks");
            e.Property(s => s.ExpiresTicks).HasColumnName("expires_ticks");
            e.Property(s => s.IdleDeadlineTicks).HasColumnName("idle_deadline_ticks");
            e.Property(s => s.RemoteIp).HasColumnName("remote_ip").HasMaxLength(64);
            e.Property(s => s.UserAgent).HasColumnName("user_agent").HasMaxLength(SessionRow.MaxUserAgentLength);
            e.Property(s => s.ValueCount).HasColumnName("value_count");
            e.Property(s => s.ValueBytes).HasColumnName("value_bytes");
            e.Property(s => s.Version).HasColumnName("version");
            e.Property(s => s.Principal).HasColumnName("principal").HasMaxLength(Session.MaxPrincipalLength);
            // Only sessions with a principal pay for this index: the anonymous login storm inserts nothing into it.
            // Covers the users page (count, last activity, distinct IPs per principal) without touching the table.
            e.HasIndex(s => new { s.Principal, s.LastAccessTicks, s.RemoteIp }).HasDatabaseName("ix_sessions_principal")
                .HasFilter("principal IS NOT NULL");
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
            e.ToTable("session_entries");
            e.HasKey(v => new { v.SessionId, v.Kind, v.Key });
            e.Property(v => v.SessionId).HasColumnName("session_id").HasMaxLength(SessionIds.MaxLength);
            e.Property(v => v.Kind).HasColumnName("kind");
            e.Property(v => v.Key).HasColumnName("key").HasMaxLength(256);
            e.Property(v => v.Seq).HasColumnName("seq");
            e.Property(v => v.TypeTag).HasColumnName("type_tag").HasMaxLength(8);
            e.Property(v => v.Payload).HasColumnName("payload");
            e.Property(v => v.Immutable).HasColumnName("immutable");
            e.Property(v => v.FlashRead).HasColumnName("flash_read");
        });
        modelBuilder.Entity<DestroyEventRow>(e =>
        {
            e.ToTable("destroy_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.AtTicks).HasColumnName("at_ticks");
            e.Property(x => x.SessionId).HasColumnName("session_id").HasMaxLength(SessionIds.MaxLength);
            e.Property(x => x.Reason).HasColumnName("reason");
            e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(64);
            e.Property(x => x.Principal).HasColumnName("principal").HasMaxLength(Session.MaxPrincipalLength);
            e.HasIndex(x => x.AtTicks).HasDatabaseName("ix_destroy_events_at");
            e.HasIndex(x => new { x.Principal, x.Id }).HasDatabaseName("ix_destroy_events_principal").HasFilter("principal IS NOT NULL");
        });
        modelBuilder.Entity<EndedSessionRow>(e =>
        {
            e.ToTable("ended_sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(SessionIds.MaxLength);
            e.Property(x => x.Reason).HasColumnName("reason");
            e.Property(x => x.AtTicks).HasColumnName("at_ticks");
            e.HasIndex(x => x.AtTicks).HasDatabaseName("ix_ended_sessions_at");
        });
        modelBuilder.Entity<StoreSettingRow>(e =>
        {
            e.ToTable("store_settings");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(64);
            e.Property(x => x.Value).HasColumnName("value");
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
