using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConversionsTwoIndexesFewer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_GoalId_ProfileId_Timestamp",
                table: "conversions");

            migrationBuilder.DropIndex(
                name: "IX_conversions_ProfileId",
                table: "conversions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_conversions_GoalId_ProfileId_Timestamp",
                table: "conversions",
                columns: new[] { "GoalId", "ProfileId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_conversions_ProfileId",
                table: "conversions",
                column: "ProfileId");
        }
    }
}
