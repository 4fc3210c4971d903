using Microsoft.EntityFrameworkCore;

namespace SessionAdmin.Core.Storage;

/// <summary>The same model as <see cref="SessionDbContext"/>, on PostgreSQL: a type of its own so it carries its own migrations.</summary>
internal sealed class PostgresSessionDbContext(DbContextOptions<PostgresSessionDbContext> options) : SessionDbContext(options);
