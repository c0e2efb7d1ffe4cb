using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class GoalNumbersPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Number",
                table: "goals",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "counters",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_counters", x => x.Name);
                });

            // Goals that exist get their numbers in creation order; the counter continues after them.
            migrationBuilder.Sql("""
                UPDATE goals SET "Number" = (SELECT COUNT(*) FROM goals g
                    WHERE g."CreatedAt" < goals."CreatedAt" OR (g."CreatedAt" = goals."CreatedAt" AND g."Id" <= goals."Id"));
                INSERT INTO counters ("Name", "Value") SELECT 'goal_number', COUNT(*) FROM goals;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_goals_Number",
                table: "goals",
                column: "Number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "counters");

            migrationBuilder.DropIndex(
                name: "IX_goals_Number",
                table: "goals");

            migrationBuilder.DropColumn(
                name: "Number",
                table: "goals");
        }
    }
}
