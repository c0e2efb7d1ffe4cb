using System.Data.Common;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sql;

/// <summary>The analytics reads, in SQL both stores run (quoted identifiers, named parameters); <see cref="ISqlDialect"/> has the rest.</summary>
internal sealed class SqlAnalyticsStore(IDbContextFactory<AppDbContext> dbFactory, ISqlDialect dialect) : IAnalyticsStore
{
    public Task ScanActivityAsync(long startMs, long endMs, string? site, string? channel, Action<ActivityFact> visit, CancellationToken ct = default) =>
        ReadAsync("SELECT \"ProfileId\", \"Timestamp\", \"Site\", \"Channel\" FROM events WHERE \"Timestamp\" >= @start AND \"Timestamp\" < @end" + SiteChannel("", site, channel),
            command => Range(command, startMs, endMs, site, channel),
            r => visit(new ActivityFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3))), ct);

    public async Task<List<CompletionFact>> CompletionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
        CancellationToken ct = default)
    {
        var result = new List<CompletionFact>();
        await ReadAsync(
            $"SELECT c.\"ProfileId\", c.\"CompletedAt\", {Places("c.", withPlaces)}, CAST(c.\"Value\" AS DOUBLE PRECISION), p.\"FirstSeenAt\" " +
            "FROM completions c JOIN profiles p ON p.\"Id\" = c.\"ProfileId\" " +
            "WHERE c.\"GoalId\" = @goal AND c.\"CompletedAt\" >= @start AND c.\"CompletedAt\" < @end" + SiteChannel("c.", site, channel),
            command => Range(Goal(command, goalId), startMs, endMs, site, channel),
            r => result.Add(new CompletionFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3), r.DoubleOrNull(4), r.LongOrNull(5))), ct);
        return result;
    }

    public async Task<List<ConversionFact>> ConversionsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
        CancellationToken ct = default)
    {
        var result = new List<ConversionFact>();
        await ReadAsync(
            $"SELECT \"ProfileId\", \"Timestamp\", {Places("", withPlaces)}, CAST(\"Value\" AS DOUBLE PRECISION) FROM conversions " +
            "WHERE \"GoalId\" = @goal AND \"Timestamp\" >= @start AND \"Timestamp\" < @end" + SiteChannel("", site, channel),
            command => Range(Goal(command, goalId), startMs, endMs, site, channel),
            r => result.Add(new ConversionFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3), r.DoubleOrNull(4))), ct);
        return result;
    }

    // The covering (GoalId, Timestamp, ProfileId, …) index holds every column asked for, in a range: no row is read.
    public Task ScanConversionTimesAsync(Guid goalId, long startMs, Action<long, long> visit, CancellationToken ct = default) =>
        ReadAsync("SELECT \"ProfileId\", \"Timestamp\" FROM conversions WHERE \"GoalId\" = @goal AND \"Timestamp\" >= @start",
            command => Range(Goal(command, goalId), startMs, long.MaxValue, null, null),
            r => visit(r.GetInt64(0), r.GetInt64(1)), ct);

    public async Task<Dictionary<int, Dictionary<long, long>>> AudiencesAsync(CancellationToken ct = default)
    {
        var result = new Dictionary<int, Dictionary<long, long>>();
        await ReadAsync("SELECT \"CampaignId\", \"ProfileId\", \"EnteredAt\" FROM audience_entries", _ => { }, r =>
        {
            var campaign = r.GetInt32(0);
            if (!result.TryGetValue(campaign, out var members))
            {
                result[campaign] = members = [];
            }
            members[r.GetInt64(1)] = r.GetInt64(2);
        }, ct);
        return result;
    }

    public Task ScanBeforeCompletionAsync(Guid goalId, long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default) =>
        ReadAsync(
            "SELECT DISTINCT e.\"ProfileId\", e.\"Name\", CASE WHEN e.\"Name\" = 'pageview' THEN e.\"Path\" END FROM completions c " +
            "JOIN events e ON e.\"ProfileId\" = c.\"ProfileId\" AND e.\"Timestamp\" < c.\"CompletedAt\" " +
            "WHERE c.\"GoalId\" = @goal AND c.\"CompletedAt\" >= @start AND c.\"CompletedAt\" < @end",
            command => Range(Goal(command, goalId), startMs, endMs, null, null),
            r => visit(r.GetInt64(0), r.GetString(1), r.StringOrNull(2)), ct);

    public Task ScanEventKindsAsync(long startMs, long endMs, Action<long, string, string?> visit, CancellationToken ct = default) =>
        ReadAsync(
            "SELECT DISTINCT \"ProfileId\", \"Name\", CASE WHEN \"Name\" = 'pageview' THEN \"Path\" END FROM events WHERE \"Timestamp\" >= @start AND \"Timestamp\" < @end",
            command => Range(command, startMs, endMs, null, null),
            r => visit(r.GetInt64(0), r.GetString(1), r.StringOrNull(2)), ct);

    public async Task ScanGoalResultsAsync(Guid goalId, Action<CompletionFact> completion, Action<ConversionFact, bool> conversion, CancellationToken ct = default)
    {
        // In time order, as the covering indexes hold them.
        await ReadAsync("SELECT \"ProfileId\", \"CompletedAt\", \"Channel\", \"Site\", CAST(\"Value\" AS DOUBLE PRECISION) FROM completions WHERE \"GoalId\" = @goal ORDER BY \"CompletedAt\"",
            command => Goal(command, goalId),
            r => completion(new CompletionFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3), r.DoubleOrNull(4), null)), ct, once: true);
        await ReadAsync($"SELECT \"ProfileId\", \"Timestamp\", \"Channel\", \"Site\", CAST(\"Value\" AS DOUBLE PRECISION), \"Source\" IN ({DerivedSources}) " +
            "FROM conversions WHERE \"GoalId\" = @goal ORDER BY \"Timestamp\"",
            command => Goal(command, goalId),
            r => conversion(new ConversionFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3), r.DoubleOrNull(4)), r.GetBoolean(5)), ct, once: true);
    }

    public Task ScanFirstSeenAsync(Action<long, long> visit, CancellationToken ct = default) =>
        ReadAsync("SELECT \"Id\", \"FirstSeenAt\" FROM profiles WHERE \"FirstSeenAt\" IS NOT NULL", _ => { }, r => visit(r.GetInt64(0), r.GetInt64(1)), ct, once: true);

    public Task ScanEventsByIdAsync(long fromId, long toId, Action<ActivityFact> visit, CancellationToken ct = default) =>
        ReadAsync("SELECT \"ProfileId\", \"Timestamp\", \"Site\", \"Channel\" FROM events WHERE \"Id\" >= @start AND \"Id\" <= @end",
            command => Range(command, fromId, toId, null, null),
            r => visit(new ActivityFact(r.GetInt64(0), r.GetInt64(1), r.StringOrNull(2), r.StringOrNull(3))), ct);

    private static readonly string DerivedSources = $"{(int)ConversionSource.Event},{(int)ConversionSource.Completion}";

    /// <param name="once">A large range read once (a load into memory): the connection's cache is given back afterwards.</param>
    private async Task ReadAsync(string sql, Action<DbCommand> bind, Action<DbDataReader> row, CancellationToken ct, bool once = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await dialect.OpenAsync(db, ct);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                row(reader);
            }
        }
        if (once)
        {
            await dialect.AfterLargeReadAsync(connection, ct);
        }
    }

    private static string Places(string alias, bool withPlaces) => withPlaces ? $"{alias}\"Channel\", {alias}\"Site\"" : "NULL, NULL";

    private static string SiteChannel(string alias, string? site, string? channel) =>
        (site is null ? "" : $" AND {alias}\"Site\" = @site") + (channel is null ? "" : $" AND {alias}\"Channel\" = @channel");

    private DbCommand Goal(DbCommand command, Guid goalId)
    {
        Add(command, "@goal", dialect.GoalKey(goalId));
        return command;
    }

    private static void Range(DbCommand command, long startMs, long endMs, string? site, string? channel)
    {
        Add(command, "@start", startMs);
        Add(command, "@end", endMs);
        if (site is not null)
        {
            Add(command, "@site", site);
        }
        if (channel is not null)
        {
            Add(command, "@channel", channel);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
