using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProfilesFirstSeenInPlace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_profiles_FirstSeenAt",
                table: "profiles");

            migrationBuilder.AlterTable(
                name: "profiles")
                .Annotation("Npgsql:StorageParameter:fillfactor", 80);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "profiles")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 80);

            migrationBuilder.CreateIndex(
                name: "IX_profiles_FirstSeenAt",
                table: "profiles",
                column: "FirstSeenAt");
        }
    }
}
