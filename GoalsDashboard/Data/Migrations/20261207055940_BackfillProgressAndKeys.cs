using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class BackfillProgressAndKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "backfill_progress",
                columns: table => new
                {
                    GoalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Instance = table.Column<Guid>(type: "TEXT", nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backfill_progress", x => x.GoalId);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            // A conversion is stored once: a repeated write of the same one (a retried request) changes nothing
            // (docs/decisions/ADR-005-several-instances.md). Duplicates already stored are dropped first.
            migrationBuilder.Sql("""
                DELETE FROM conversions WHERE Id NOT IN (SELECT MIN(Id) FROM conversions GROUP BY ProfileId, GoalId, Source, Timestamp, IFNULL(EventId, -1));
                CREATE UNIQUE INDEX UX_conversions_once ON conversions (ProfileId, GoalId, Source, Timestamp, IFNULL(EventId, -1));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX UX_conversions_once;");
            migrationBuilder.DropTable(
                name: "backfill_progress");

            migrationBuilder.DropTable(
                name: "data_protection_keys");
        }
    }
}
