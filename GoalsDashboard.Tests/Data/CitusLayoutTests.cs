using System.Text.RegularExpressions;
using GoalsDashboard.Data.Postgres;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace GoalsDashboard.Tests.Data;

/// <summary>
/// The PostgreSQL model stays distributable by profile on Citus (docs/decisions/ADR-004-postgresql.md), and
/// deploy/citus/distribute.sql distributes exactly what the model declares.
/// </summary>
public class CitusLayoutTests
{
    private static readonly IModel Model = new PostgresDbContext(
        new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=unused;Database=unused").Options).GetService<IDesignTimeModel>().Model;

    private static IEnumerable<IEntityType> Tables => Model.GetEntityTypes().Where(t => t.GetTableName() is not null);

    private static IEntityType Table(string name) => Tables.Single(t => t.GetTableName() == name);

    private static IReadOnlyList<string> Columns(IEnumerable<IProperty> properties) => properties.Select(p => p.GetColumnName()).ToList();

    [Fact]
    public void EveryTable_IsPerProfile_ALookup_AReferenceTable_OrKeptOnTheCoordinator_ExactlyOnce()
    {
        var declared = PostgresDbContext.PerProfileTables.Concat(PostgresDbContext.LookupTables).Concat(PostgresDbContext.ReferenceTables)
            .Concat(PostgresDbContext.CoordinatorTables).ToList();
        Assert.Equal(declared.Count, declared.Distinct().Count());
        Assert.Equal(declared.Order(StringComparer.Ordinal), Tables.Select(t => t.GetTableName()!).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PerProfile))]
    public void APerProfileTable_HasTheProfileInItsKey_AndInEveryUniqueIndex(string table)
    {
        var entity = Table(table);
        var profile = PostgresDbContext.ProfileColumn(table);
        Assert.Contains(profile, Columns(entity.FindPrimaryKey()!.Properties));
        Assert.All(entity.GetIndexes().Where(i => i.IsUnique), index => Assert.Contains(profile, Columns(index.Properties)));
        Assert.All(entity.GetKeys(), key => Assert.Contains(profile, Columns(key.Properties)));
        // Joins between distributed tables run on one worker only when they join on the profile.
        Assert.All(entity.GetForeignKeys().Where(fk => PostgresDbContext.PerProfileTables.Contains(fk.PrincipalEntityType.GetTableName()!)),
            fk => Assert.Contains(profile, Columns(fk.Properties)));
    }

    public static TheoryData<string> PerProfile => new(PostgresDbContext.PerProfileTables);

    [Fact]
    public void ALookupTable_IsKeyedByItsOneColumn_AndAReferenceTable_PointsAtNoDistributedOne()
    {
        foreach (var table in PostgresDbContext.LookupTables)
        {
            var entity = Table(table);
            Assert.Single(entity.FindPrimaryKey()!.Properties);
            Assert.DoesNotContain(entity.GetIndexes(), i => i.IsUnique);
        }
        var distributed = PostgresDbContext.PerProfileTables.Concat(PostgresDbContext.LookupTables).ToHashSet();
        foreach (var table in PostgresDbContext.ReferenceTables)
        {
            Assert.DoesNotContain(Table(table).GetForeignKeys(), fk => distributed.Contains(fk.PrincipalEntityType.GetTableName()!));
        }
    }

    [Fact]
    public void TheDistributionScript_DistributesWhatTheModelDeclares()
    {
        var sql = File.ReadAllText(Path.Combine(AppProcess.RepositoryRoot(), "deploy", "citus", "distribute.sql"));
        var distributed = Regex.Matches(sql, @"create_distributed_table\('(\w+)', '(\w+)'").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        // A table name with capitals is quoted inside the string (the argument is a regclass), a column name is not.
        var reference = Regex.Matches(sql, @"create_reference_table\('""?(\w+)""?'\)").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(PostgresDbContext.PerProfileTables.Concat(PostgresDbContext.LookupTables).Order(), distributed.Keys.Order());
        foreach (var table in PostgresDbContext.PerProfileTables)
        {
            Assert.Equal(PostgresDbContext.ProfileColumn(table), distributed[table]);
        }
        foreach (var table in PostgresDbContext.LookupTables)
        {
            Assert.Equal(Columns(Table(table).FindPrimaryKey()!.Properties).Single(), distributed[table]);
        }
        Assert.Equal(PostgresDbContext.ReferenceTables.Order(), reference.Order());
    }

    /// <summary>
    /// Citus is not installed here: its functions are stood in for by ones that check their arguments against the
    /// migrated schema, so the script's syntax, tables and columns are checked on plain PostgreSQL.
    /// </summary>
    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task TheDistributionScript_RunsOnTheMigratedSchema_WithCitusFunctionsStoodIn()
    {
        Assert.True(TestDatabase.OnPostgres, "This test runs in the PostgreSQL half of ./test.sh (GOALS_TEST_PROVIDER=Postgres).");
        await using var database = TestDatabase.Create(Path.GetTempPath());
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var stubs = new NpgsqlCommand("""
            CREATE TABLE citus_calls (fn text, rel regclass, col text);
            CREATE FUNCTION citus_set_coordinator_host(host text, port int) RETURNS void LANGUAGE sql AS $$ SELECT $$;
            CREATE FUNCTION citus_add_node(host text, port int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
            CREATE FUNCTION create_reference_table(rel regclass) RETURNS void LANGUAGE sql AS $$ INSERT INTO citus_calls VALUES ('reference', rel, NULL) $$;
            CREATE FUNCTION create_distributed_table(rel regclass, col text, colocate_with text DEFAULT 'default') RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = col AND NOT attisdropped) THEN
                    RAISE EXCEPTION 'column % of % does not exist', col, rel;
                END IF;
                IF colocate_with <> 'default' THEN PERFORM colocate_with::regclass; END IF;
                INSERT INTO citus_calls VALUES ('distributed', rel, col);
            END $$;
            """, connection))
        {
            await stubs.ExecuteNonQueryAsync();
        }
        var script = File.ReadAllText(Path.Combine(AppProcess.RepositoryRoot(), "deploy", "citus", "distribute.sql"));
        await using (var run = new NpgsqlCommand(script, connection))
        {
            await run.ExecuteNonQueryAsync();
        }
        await using var calls = new NpgsqlCommand("SELECT count(*) FROM citus_calls", connection);
        Assert.Equal((long)(PostgresDbContext.PerProfileTables.Count + PostgresDbContext.LookupTables.Count + PostgresDbContext.ReferenceTables.Count),
            (long)(await calls.ExecuteScalarAsync())!);
    }
}
