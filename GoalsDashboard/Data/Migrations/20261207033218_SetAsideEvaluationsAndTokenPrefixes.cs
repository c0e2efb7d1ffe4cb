using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class SetAsideEvaluationsAndTokenPrefixes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "pending_evaluations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Error",
                table: "pending_evaluations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetryAt",
                table: "pending_evaluations",
                type: "INTEGER",
                nullable: true);

            // The list showed the first 8 characters of every secret, also of one an operator chose (Bootstrap:ApiToken).
            migrationBuilder.Sql("UPDATE api_tokens SET Prefix = '' WHERE substr(Prefix, 1, 3) <> 'gd_'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "pending_evaluations");

            migrationBuilder.DropColumn(
                name: "Error",
                table: "pending_evaluations");

            migrationBuilder.DropColumn(
                name: "RetryAt",
                table: "pending_evaluations");
        }
    }
}
