using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class CoveringResultIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_GoalId_Timestamp",
                table: "conversions");

            migrationBuilder.DropIndex(
                name: "IX_completions_GoalId_CompletedAt",
                table: "completions");

            migrationBuilder.CreateIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value",
                table: "conversions",
                columns: new[] { "GoalId", "Timestamp", "ProfileId", "Channel", "Site", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_completions_GoalId_CompletedAt_ProfileId_Channel_Site_Value",
                table: "completions",
                columns: new[] { "GoalId", "CompletedAt", "ProfileId", "Channel", "Site", "Value" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value",
                table: "conversions");

            migrationBuilder.DropIndex(
                name: "IX_completions_GoalId_CompletedAt_ProfileId_Channel_Site_Value",
                table: "completions");

            migrationBuilder.CreateIndex(
                name: "IX_conversions_GoalId_Timestamp",
                table: "conversions",
                columns: new[] { "GoalId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_completions_GoalId_CompletedAt",
                table: "completions",
                columns: new[] { "GoalId", "CompletedAt" });
        }
    }
}
