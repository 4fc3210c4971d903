using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SessionAdmin.Core.Storage.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at_ticks = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    session_hash = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "destroy_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at_ticks = table.Column<long>(type: "INTEGER", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    reason = table.Column<int>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_destroy_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_ticks = table.Column<long>(type: "INTEGER", nullable: false),
                    last_access_ticks = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_ticks = table.Column<long>(type: "INTEGER", nullable: true),
                    idle_deadline_ticks = table.Column<long>(type: "INTEGER", nullable: true),
                    remote_ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    value_count = table.Column<int>(type: "INTEGER", nullable: false),
                    value_bytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "session_entries",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    type_tag = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: true),
                    immutable = table.Column<bool>(type: "INTEGER", nullable: false),
                    flash_read = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_entries", x => new { x.session_id, x.kind, x.key });
                    table.ForeignKey(
                        name: "FK_session_entries_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_destroy_events_at",
                table: "destroy_events",
                column: "at_ticks");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_created",
                table: "sessions",
                column: "created_ticks");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_deadlines",
                table: "sessions",
                columns: new[] { "expires_ticks", "idle_deadline_ticks" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_idle_deadline",
                table: "sessions",
                column: "idle_deadline_ticks");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_last_access",
                table: "sessions",
                column: "last_access_ticks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "destroy_events");

            migrationBuilder.DropTable(
                name: "session_entries");

            migrationBuilder.DropTable(
                name: "sessions");
        }
    }
}
