using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConversionSourceInCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value",
                table: "conversions");

            migrationBuilder.CreateIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value_Source",
                table: "conversions",
                columns: new[] { "GoalId", "Timestamp", "ProfileId", "Channel", "Site", "Value", "Source" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value_Source",
                table: "conversions");

            migrationBuilder.CreateIndex(
                name: "IX_conversions_GoalId_Timestamp_ProfileId_Channel_Site_Value",
                table: "conversions",
                columns: new[] { "GoalId", "Timestamp", "ProfileId", "Channel", "Site", "Value" });
        }
    }
}
