using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace GoalsDashboard.Services;

/// <summary>
/// The one query layer behind the goal details page, the compare page, CSV exports and the stats API.
/// Figures come from the precomputed completion and conversion rows; the period's activity (the
/// denominator), campaign audiences and segment memberships do not depend on a goal, so they are
/// computed once and shared by every page and request until new results arrive.
/// </summary>
public sealed partial class AnalyticsService : IChangeHandler
{
    public const int MaxDays = 1096;
    public const int MaxCompareGoals = 6;

    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(2);

    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly IAnalyticsStore _store;
    private readonly Workspace _workspace;
    private readonly TimeProvider _clock;
    private readonly IMemoryCache _cache;
    private readonly ActivityIndex _activity;
    private readonly ResultIndex _results;
    private readonly EvaluationService _evaluation;
    private CancellationTokenSource _generation = new();

    public AnalyticsService(IDbContextFactory<AppDbContext> dbFactory, IAnalyticsStore store, ActivityIndex activity, ResultIndex results, Workspace workspace,
        TimeProvider clock, IMemoryCache cache, ChangeFeed feed, EvaluationService evaluation)
    {
        _evaluation = evaluation;
        _results = results;
        _dbFactory = dbFactory;
        _store = store;
        _activity = activity;
        _workspace = workspace;
        _clock = clock;
        _cache = cache;
        feed.Changed += changes => DataChanged?.Invoke(changes);
    }

    /// <summary>Raised after changes were committed and applied, by any instance: open pages refresh (they debounce it).</summary>
    public event Action<IReadOnlyList<Change>>? DataChanged;

    public TimeZoneInfo TimeZone => _workspace.TimeZone;

    /// <summary>Today in the workspace time zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _workspace.TimeZone).DateTime);

    /// <summary>
    /// Shared figures (a period's activity, audiences, memberships, site labels) are forgotten when the change
    /// log says what they were computed from changed; results are read from <see cref="ResultIndex"/>, which follows it too.
    /// </summary>
    ValueTask IChangeHandler.ApplyAsync(IReadOnlyList<Change> changes, CancellationToken ct)
    {
        if (changes.Any(c => c.Kind is not (ChangeKind.Results or ChangeKind.GoalResults)))
        {
            Invalidate();
        }
        return ValueTask.CompletedTask;
    }

    void IChangeHandler.Reset() => Invalidate();

    private void Invalidate()
    {
        var old = Interlocked.Exchange(ref _generation, new CancellationTokenSource());
        // Not disposed: a cache entry being created right now may still read its token.
        old.Cancel();
    }

    /// <summary>The figures of docs/analytics.md for one goal, or null when there is no such goal.</summary>
    public async Task<GoalStats?> StatsAsync(Guid goalId, AnalyticsQuery query, bool withBreakdowns = true, CancellationToken ct = default)
    {
        var goal = await GoalAsync(goalId, ct);
        if (goal is null)
        {
            return null;
        }
        var context = await ContextAsync(query, withBreakdowns, ct);
        var facts = await FactsAsync(goal.Value, context, withBreakdowns, ct);
        return GoalFigures.Compute(query, context.Buckets, context.Activity, context.Scope, facts,
            withBreakdowns ? context.Campaigns : null, withBreakdowns ? context.Segments : null, context.SiteLabels);
    }

    /// <summary>Several goals over one period and filters, without breakdowns, in the order asked; unknown ids are left out.</summary>
    public async Task<IReadOnlyList<GoalStats>> CompareAsync(IReadOnlyList<Guid> goalIds, AnalyticsQuery query, CancellationToken ct = default)
    {
        var context = await ContextAsync(query, withBreakdowns: false, ct);
        // Each goal's rows are an independent read on a connection of its own: they run side by side.
        var stats = await Task.WhenAll(goalIds.Distinct().Select(async id =>
            await GoalAsync(id, ct) is { } goal
                ? GoalFigures.Compute(query, context.Buckets, context.Activity, context.Scope, await FactsAsync(goal, context, withBreakdowns: false, ct), null, null)
                : null));
        return stats.OfType<GoalStats>().ToList();
    }

    /// <summary>
    /// What a draft goal would have shown for the last 30 days (the period a goal's page opens on): its completions
    /// from evaluating it over the stored histories, every other figure as for a saved goal. The wizard's preview.
    /// </summary>
    public async Task<GoalStats> PreviewAsync(GoalDraft normalized, CancellationToken ct = default)
    {
        var query = new AnalyticsQuery(Today.AddDays(-29), Today);
        var context = await ContextAsync(query, withBreakdowns: false, ct);
        var completions = await _evaluation.PreviewCompletionsAsync(normalized, context.Buckets[0].StartMs, context.Buckets[^1].EndMs, ct);
        return GoalFigures.Compute(query, context.Buckets, context.Activity, context.Scope, new GoalFacts(Guid.Empty, normalized.Currency, completions, []), null, null);
    }

    /// <summary>The period's completions under the filters, newest first, one page of them, with the total.</summary>
    public async Task<(IReadOnlyList<CompletionRow> Rows, int Total)> CompletionsAsync(Guid goalId, AnalyticsQuery query, int skip, int take,
        CancellationToken ct = default)
    {
        var context = await ContextAsync(query, withBreakdowns: false, ct);
        var (startMs, endMs) = (context.Buckets[0].StartMs, context.Buckets[^1].EndMs);
        var all = (await CompletionRowsAsync(goalId, startMs, endMs, query.Where.Site, query.Where.Channel, withPlaces: true, ct))
            .Where(c => context.Scope.Keeps(c.ProfileId, c.At))
            .OrderByDescending(c => c.At).ThenBy(c => c.ProfileId)
            .ToList();
        var page = all.Skip(skip).Take(take).ToList();
        var ids = page.Select(c => c.ProfileId).ToList();
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var names = await db.Profiles.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ExternalId, ct);
        var rows = page.Select(c => new CompletionRow(names.GetValueOrDefault(c.ProfileId, "?"), DateTimeOffset.FromUnixTimeMilliseconds(c.At),
            c.Channel, c.Site, c.Value is { } v ? Money.FromStored(v) : null)).ToList();
        return (rows, all.Count);
    }

    /// <summary>
    /// Converter interests (docs/analytics.md): for each event name and page path, the share of the period's
    /// converters who did it before completing against the share of the period's other active profiles
    /// who did it in the period; the most over-represented first.
    /// </summary>
    public async Task<IReadOnlyList<ConverterInterest>> InterestsAsync(Guid goalId, AnalyticsQuery query, int top = 10, CancellationToken ct = default)
    {
        var context = await ContextAsync(query, withBreakdowns: false, ct);
        var (startMs, endMs) = (context.Buckets[0].StartMs, context.Buckets[^1].EndMs);
        var converters = (await CompletionRowsAsync(goalId, startMs, endMs, query.Where.Site, query.Where.Channel, withPlaces: false, ct))
            .Where(c => context.Scope.Keeps(c.ProfileId, c.At)).Select(c => c.ProfileId).ToHashSet();
        var others = context.Activity.Profiles.Where(p => !converters.Contains(p) && context.Scope.Includes(p)).ToHashSet();
        if (converters.Count == 0 || others.Count == 0)
        {
            return [];
        }
        var byConverters = new Dictionary<(string, string?), int>();
        await _store.ScanBeforeCompletionAsync(goalId, startMs, endMs, (profile, name, path) =>
        {
            if (converters.Contains(profile))
            {
                byConverters[(name, path)] = byConverters.GetValueOrDefault((name, path)) + 1;
            }
        }, ct);
        var byOthers = new Dictionary<(string, string?), int>();
        await _store.ScanEventKindsAsync(startMs, endMs, (profile, name, path) =>
        {
            if (others.Contains(profile))
            {
                byOthers[(name, path)] = byOthers.GetValueOrDefault((name, path)) + 1;
            }
        }, ct);
        // A handful of converters is noise, not interest.
        var minimum = Math.Max(3, converters.Count / 50);
        return byConverters
            .Where(kv => kv.Value >= minimum)
            .Select(kv =>
            {
                var (name, path) = kv.Key;
                var share = kv.Value * 100.0 / converters.Count;
                var otherCount = byOthers.GetValueOrDefault(kv.Key);
                var otherShare = otherCount * 100.0 / others.Count;
                return new ConverterInterest(path is null ? "event" : "page", path ?? name, kv.Value, share, otherCount, otherShare,
                    otherCount == 0 ? null : share / otherShare);
            })
            .Where(i => i.Lift is null || i.Lift > 1)
            .OrderByDescending(i => i.Lift ?? double.MaxValue).ThenByDescending(i => i.Converters)
            .Take(top)
            .ToList();
    }

    /// <summary>The day (workspace time zone) the campaign's first audience member entered; null with no audience.</summary>
    public async Task<DateOnly?> FirstEntryAsync(string campaignKey, CancellationToken ct = default)
    {
        var members = (await CampaignsAsync(ct)).FirstOrDefault(c => c.Key == campaignKey)?.Members;
        return members is { Count: > 0 }
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(members.Values.Min()), _workspace.TimeZone).DateTime)
            : null;
    }

    /// <summary>Audience growth per bucket of the period: entries in the bucket and the size at its end.</summary>
    public async Task<IReadOnlyList<AudienceRow>> AudienceTrendAsync(string campaignKey, AnalyticsQuery query, CancellationToken ct = default)
    {
        var members = (await CampaignsAsync(ct)).FirstOrDefault(c => c.Key == campaignKey)?.Members ?? new Dictionary<long, long>();
        var buckets = Buckets.For(new Period(query.From, query.To, _workspace.TimeZone), query.Interval);
        var entries = members.Values.Order().ToArray();
        int Before(long ms) => Sorted.LowerBound(entries, ms);
        return buckets.Select(b => new AudienceRow(b.Date, Before(b.EndMs) - Before(b.StartMs), Before(b.EndMs))).ToList();
    }

    /// <summary>Every campaign's audience size now, by campaign id.</summary>
    public async Task<IReadOnlyDictionary<int, int>> AudienceSizesAsync(CancellationToken ct = default) =>
        (await CampaignsAsync(ct)).ToDictionary(c => c.Id, c => c.Members.Count);

    /// <summary>Every segment's current member count, by segment id.</summary>
    public async Task<IReadOnlyDictionary<int, int>> SegmentSizesAsync(CancellationToken ct = default) =>
        (await SegmentsAsync(ct)).ToDictionary(s => s.Id, s => s.Members.Count);

    public async Task<FilterChoices> FilterChoicesAsync(CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Key).Select(s => new { s.Key, s.Label }).ToListAsync(ct);
        // Listing channels reads every event; new channels are rare, so they are not re-read on every new result.
        var channels = await _cache.GetOrCreateAsync("channels", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            await using var inner = await _dbFactory.CreateDbContextAsync(ct);
            return await inner.Events.AsNoTracking().Where(e => e.Channel != null).Select(e => e.Channel!).Distinct().OrderBy(c => c).ToListAsync(ct);
        }) ?? [];
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Key, c.Name }).ToListAsync(ct);
        var segments = await db.Segments.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        return new FilterChoices(sites.Select(s => (s.Key, s.Label ?? s.Key)).ToList(), channels,
            campaigns.Select(c => (c.Key, c.Name)).ToList(), segments.Select(s => (s.Id, s.Name)).ToList());
    }

    /// <summary>Checks a query: a real period of at most <see cref="MaxDays"/> days, and filters that name existing things.</summary>
    public async Task ValidateAsync(AnalyticsQuery query, CancellationToken ct = default)
    {
        if (query.From > query.To)
        {
            throw new AnalyticsQueryException("from", "The period starts after it ends: from must be on or before to.");
        }
        if (query.Days > MaxDays)
        {
            throw new AnalyticsQueryException("to", $"A period can be at most {MaxDays:N0} days long.");
        }
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        if (query.Where.Campaign is { } key && !await db.Campaigns.AnyAsync(c => c.Key == key, ct))
        {
            throw new AnalyticsQueryException("campaign", $"No campaign has the key \"{key}\".");
        }
        if (query.Where.Segment is { } segment && !await db.Segments.AnyAsync(s => s.Id == segment, ct))
        {
            throw new AnalyticsQueryException("segment", $"No segment has the id {segment}.");
        }
    }

    private sealed record QueryContext(Bucket[] Buckets, Activity Activity, ProfileScope Scope,
        IReadOnlyList<CampaignAudience> Campaigns, IReadOnlyList<SegmentMembers> Segments, IReadOnlyDictionary<string, string>? SiteLabels, AnalyticsQuery Query);

    private Task<IReadOnlyDictionary<string, string>> SiteLabelsAsync(CancellationToken ct) => SharedAsync<IReadOnlyDictionary<string, string>>("site-labels", async token =>
    {
        await using var db = await _dbFactory.CreateDbContextAsync(token);
        return await db.Sites.AsNoTracking().Where(s => s.Label != null).ToDictionaryAsync(s => s.Key, s => s.Label!, token);
    }, ct);

    private async Task<QueryContext> ContextAsync(AnalyticsQuery query, bool withBreakdowns, CancellationToken ct)
    {
        await ValidateAsync(query, ct);
        var period = new Period(query.From, query.To, _workspace.TimeZone);
        var buckets = Buckets.For(period, query.Interval);
        var where = query.Where;
        var needsCampaigns = withBreakdowns || where.Campaign is not null;
        var needsSegments = withBreakdowns || where.Segment is not null;
        var campaigns = needsCampaigns ? await CampaignsAsync(ct) : [];
        var segments = needsSegments ? await SegmentsAsync(ct) : [];
        var scope = where.Segment is null && where.Campaign is null
            ? ProfileScope.All
            : new ProfileScope(segments.FirstOrDefault(s => s.Id == where.Segment)?.Members, campaigns.FirstOrDefault(c => c.Key == where.Campaign)?.Members,
                buckets[^1].EndMs);
        var (startMs, endMs) = (buckets[0].StartMs, buckets[^1].EndMs);
        var activity = await SharedAsync(("activity", startMs, endMs, query.Interval, where.Site, where.Channel, where.Segment, where.Campaign), async token =>
        {
            var include = scope == ProfileScope.All ? null : (Func<long, bool>)scope.Includes;
            await _activity.ReadyAsync(period.Zone);
            if (_activity.Count(period, buckets, where.Site, where.Channel, include) is { } counted)
            {
                return counted;
            }
            var result = new Activity(buckets, include);
            await _store.ScanActivityAsync(startMs, endMs, where.Site, where.Channel, result.Add, token);
            return result.Complete();
        }, ct);
        var siteLabels = withBreakdowns ? await SiteLabelsAsync(ct) : null;
        return new QueryContext(buckets, activity, scope, campaigns, segments, siteLabels, query);
    }

    private async Task<GoalFacts> FactsAsync((Guid Id, string? Currency) goal, QueryContext context, bool withBreakdowns, CancellationToken ct)
    {
        var (startMs, endMs) = (context.Buckets[0].StartMs, context.Buckets[^1].EndMs);
        var where = context.Query.Where;
        // Only the breakdowns by channel and site need each row's own.
        var (completions, conversions) = await ResultsAsync(goal.Id, startMs, endMs, where.Site, where.Channel, withBreakdowns, ct);
        return new GoalFacts(goal.Id, goal.Currency, completions, conversions);
    }

    private Task<(List<CompletionFact> Completions, List<ConversionFact> Conversions)> ResultsAsync(Guid goalId, long startMs, long endMs,
        string? site, string? channel, bool withPlaces, CancellationToken ct) =>
        _results.ResultsAsync(goalId, startMs, endMs, site, channel, withPlaces, ct: ct);

    /// <summary>The goal's completions in [startMs, endMs) alone (the recent completions, converter interests).</summary>
    private async Task<List<CompletionFact>> CompletionRowsAsync(Guid goalId, long startMs, long endMs, string? site, string? channel, bool withPlaces,
        CancellationToken ct) =>
        (await _results.ResultsAsync(goalId, startMs, endMs, site, channel, withPlaces, withConversions: false, ct)).Completions;

    private async Task<(Guid Id, string? Currency)?> GoalAsync(Guid id, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var goal = await db.Goals.AsNoTracking().Where(g => g.Id == id).Select(g => new { g.Id, g.Currency }).FirstOrDefaultAsync(ct);
        return goal is null ? null : (goal.Id, goal.Currency);
    }

    private Task<IReadOnlyList<CampaignAudience>> CampaignsAsync(CancellationToken ct) => SharedAsync<IReadOnlyList<CampaignAudience>>("campaigns", async token =>
    {
        await using var db = await _dbFactory.CreateDbContextAsync(token);
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).ToListAsync(token);
        var audiences = await _store.AudiencesAsync(token);
        return campaigns.Select(c => new CampaignAudience(c.Id, c.Key, c.Name, audiences.GetValueOrDefault(c.Id) ?? [])).ToList();
    }, ct);

    private Task<IReadOnlyList<SegmentMembers>> SegmentsAsync(CancellationToken ct) => SharedAsync<IReadOnlyList<SegmentMembers>>("segments", async token =>
    {
        await using var db = await _dbFactory.CreateDbContextAsync(token);
        var segments = await db.Segments.AsNoTracking().OrderBy(s => s.Name).ToListAsync(token);
        if (segments.Count == 0)
        {
            return [];
        }
        var members = await SegmentMembership.MembersAsync(db, segments.Select(s => s.Conditions).ToList(), token);
        return segments.Select((s, i) => new SegmentMembers(s.Id, s.Name, members[i])).ToList();
    }, ct);

    /// <summary>
    /// One computation per key at a time, kept until the change log says its inputs changed (or for a couple of
    /// minutes). The computation runs on its own, not on any caller's cancellation: each caller waits with its own,
    /// so one caller leaving (a page closed) does not fail the others sharing it.
    /// </summary>
    private async Task<T> SharedAsync<T>(object key, Func<CancellationToken, Task<T>> compute, CancellationToken ct)
    {
        var lazy = _cache.GetOrCreate(key, entry =>
        {
            Expire(entry);
            return new Lazy<Task<T>>(() => compute(CancellationToken.None));
        })!;
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _cache.Remove(key);
            throw;
        }
    }

    private void Expire(ICacheEntry entry)
    {
        entry.AbsoluteExpirationRelativeToNow = CacheLifetime;
        entry.AddExpirationToken(new CancellationChangeToken(_generation.Token));
    }
}
