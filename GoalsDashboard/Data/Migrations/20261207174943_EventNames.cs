using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GoalsDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "event_names",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_event_names", x => x.Name);
                });

            // The names already stored, read while the name index still exists.
            migrationBuilder.Sql("INSERT INTO event_names (Name) SELECT DISTINCT Name FROM events;");

            migrationBuilder.DropIndex(
                name: "IX_events_Name_Timestamp",
                table: "events");

            migrationBuilder.DropIndex(
                name: "IX_events_Timestamp_ProfileId_Site_Channel",
                table: "events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "event_names");

            migrationBuilder.CreateIndex(
                name: "IX_events_Name_Timestamp",
                table: "events",
                columns: new[] { "Name", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_events_Timestamp_ProfileId_Site_Channel",
                table: "events",
                columns: new[] { "Timestamp", "ProfileId", "Site", "Channel" });
        }
    }
}
