using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SessionAdmin.Core.Storage.PostgresMigrations
{
    /// <inheritdoc />
    internal partial class Principals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "principal",
                table: "sessions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "principal",
                table: "destroy_events",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ended_sessions",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    reason = table.Column<int>(type: "integer", nullable: false),
                    at_ticks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ended_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "store_settings",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_store_settings", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_principal",
                table: "sessions",
                columns: new[] { "principal", "last_access_ticks", "remote_ip" },
                filter: "principal IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_destroy_events_principal",
                table: "destroy_events",
                columns: new[] { "principal", "id" },
                filter: "principal IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ended_sessions_at",
                table: "ended_sessions",
                column: "at_ticks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ended_sessions");

            migrationBuilder.DropTable(
                name: "store_settings");

            migrationBuilder.DropIndex(
                name: "ix_sessions_principal",
                table: "sessions");

            migrationBuilder.DropIndex(
                name: "ix_destroy_events_principal",
                table: "destroy_events");

            migrationBuilder.DropColumn(
                name: "principal",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "principal",
                table: "destroy_events");
        }
    }
}
