using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GoalsDashboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ClusterCoordination : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ClaimedBy",
                table: "pending_evaluations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedUntil",
                table: "pending_evaluations",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "backfill_progress",
                columns: table => new
                {
                    GoalId = table.Column<Guid>(type: "uuid", nullable: false),
                    Instance = table.Column<Guid>(type: "uuid", nullable: false),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backfill_progress", x => x.GoalId);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rate_buckets",
                columns: table => new
                {
                    Partition = table.Column<string>(type: "text", nullable: false),
                    Window = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_buckets", x => x.Partition);
                });


            // A conversion is stored once: a repeated write of the same one (a retried request) changes nothing.
            // The profile leads, as every unique index of a per-profile table must on Citus.
            migrationBuilder.Sql("""
                DELETE FROM conversions c USING conversions d
                WHERE c."ProfileId" = d."ProfileId" AND c."GoalId" = d."GoalId" AND c."Source" = d."Source" AND c."Timestamp" = d."Timestamp"
                  AND c."EventId" IS NOT DISTINCT FROM d."EventId" AND c."Id" > d."Id";
                CREATE UNIQUE INDEX "UX_conversions_once" ON conversions ("ProfileId", "GoalId", "Source", "Timestamp", "EventId") NULLS NOT DISTINCT;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"UX_conversions_once\";");
            migrationBuilder.DropTable(
                name: "backfill_progress");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "rate_buckets");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "pending_evaluations");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "pending_evaluations");
        }
    }
}
