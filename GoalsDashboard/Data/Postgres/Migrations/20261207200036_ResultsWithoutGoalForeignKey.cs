using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResultsWithoutGoalForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_completions_goals_GoalId",
                table: "completions");

            migrationBuilder.DropForeignKey(
                name: "FK_conversions_goals_GoalId",
                table: "conversions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_completions_goals_GoalId",
                table: "completions",
                column: "GoalId",
                principalTable: "goals",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_conversions_goals_GoalId",
                table: "conversions",
                column: "GoalId",
                principalTable: "goals",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
