using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SessionAdmin.Core.Storage.PostgresMigrations
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at_ticks = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    session_hash = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    detail = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "destroy_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at_ticks = table.Column<long>(type: "bigint", nullable: false),
                    session_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    reason = table.Column<int>(type: "integer", nullable: false),
                    actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_destroy_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    created_ticks = table.Column<long>(type: "bigint", nullable: false),
                    last_access_ticks = table.Column<long>(type: "bigint", nullable: false),
                    expires_ticks = table.Column<long>(type: "bigint", nullable: true),
                    idle_deadline_ticks = table.Column<long>(type: "bigint", nullable: true),
                    remote_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    value_count = table.Column<int>(type: "integer", nullable: false),
                    value_bytes = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "session_entries",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    type_tag = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: true),
                    immutable = table.Column<bool>(type: "boolean", nullable: false),
                    flash_read = table.Column<bool>(type: "boolean", nullable: false)
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
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "destroy_events");

            migrationBuilder.DropTable(
                name: "session_entries");

            migrationBuilder.DropTable(
                name: "sessions");
        }
    }
}
