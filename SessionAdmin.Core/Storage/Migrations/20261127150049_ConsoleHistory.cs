using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SessionAdmin.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleHistory : Migration
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

            migrationBuilder.CreateIndex(
                name: "ix_destroy_events_at",
                table: "destroy_events",
                column: "at_ticks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "destroy_events");
        }
    }
}
