using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SessionAdmin.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class FewerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sessions_expires",
                table: "sessions");

            migrationBuilder.DropIndex(
                name: "ix_session_entries_key",
                table: "session_entries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_sessions_expires",
                table: "sessions",
                column: "expires_ticks");

            migrationBuilder.CreateIndex(
                name: "ix_session_entries_key",
                table: "session_entries",
                column: "key");
        }
    }
}
