using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace GoalsDashboard.Data.Changes;

/// <summary>
/// Writes the change record of every EF Core save of definitions (goals, campaigns, segments, funnels, sites,
/// settings) in the save itself, so that no writer can forget it, and catches the feed up once it is committed:
/// after the save, or after the transaction around it.
/// </summary>
internal sealed class ChangeLogInterceptor(IServiceProvider services, TimeProvider clock) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // Resolved when first used: the feed reads through the context factory whose options hold this interceptor.
    private ChangeFeed Feed => field ??= services.GetRequiredService<ChangeFeed>();

    private static readonly Dictionary<Type, string> Definitions = new()
    {
        [typeof(Goal)] = "goals",
        [typeof(GoalCampaign)] = "goal_campaigns",
        [typeof(Campaign)] = "campaigns",
        [typeof(Segment)] = "segments",
        [typeof(Funnel)] = "funnels",
        [typeof(FunnelStep)] = "funnel_steps",
        [typeof(Site)] = "sites",
        [typeof(WorkspaceSetting)] = "workspace_settings",
    };

    /// <summary>Records added to a context's save, reported to the feed once committed.</summary>
    private readonly ConditionalWeakTable<DbContext, List<(ChangeRecord Record, Change Change)>> _pending = new();

    /// <summary>
    /// Contexts inside SaveChanges: the transaction EF Core opens for a save commits before the records' numbers
    /// are read back into them, so those are reported when the save completes, not at that commit.
    /// </summary>
    private readonly ConditionalWeakTable<DbContext, object> _saving = new();

    /// <summary>
    /// History entries of subjects numbered by the insert itself (a new funnel, campaign or segment), numbered once
    /// the save has run, with the transaction this interceptor opened for that when the caller had none.
    /// </summary>
    private readonly ConditionalWeakTable<DbContext, Unnumbered> _unnumbered = new();

    private sealed record Unnumbered(IReadOnlyList<(EntityEntry Subject, HistoryEntry Entry)> Entries, IDbContextTransaction? Own);

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context, (context, ct) => Task.FromResult(context.Database.BeginTransaction()), CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await Record(eventData.Context, (context, ct) => context.Database.BeginTransactionAsync(ct), cancellationToken);
        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NumberHistoryAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        if (SavedOutsideTransaction(eventData.Context) is { } context)
        {
            ReportAsync(context, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await NumberHistoryAsync(eventData.Context, cancellationToken);
        if (SavedOutsideTransaction(eventData.Context) is { } context)
        {
            await ReportAsync(context, cancellationToken);
        }
        return result;
    }

    /// <summary>Writes the numbers the insert gave into their history entries, and commits the transaction opened for that.</summary>
    private async Task NumberHistoryAsync(DbContext? context, CancellationToken ct)
    {
        if (context is null || !_unnumbered.TryGetValue(context, out var unnumbered))
        {
            return;
        }
        _unnumbered.Remove(context);
        foreach (var (subject, entry) in unnumbered.Entries)
        {
            var id = Convert.ToString(subject.Property("Id").CurrentValue, CultureInfo.InvariantCulture)!;
            await context.Set<HistoryEntry>().Where(h => h.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(h => h.SubjectId, id), ct);
            entry.SubjectId = id;
            context.Entry(entry).State = EntityState.Unchanged;
        }
        if (unnumbered.Own is { } own)
        {
            // Committed before the save reports its changes (they report at this commit, see TransactionCommitted).
            await own.CommitAsync(ct);
            await own.DisposeAsync();
        }
    }

    /// <summary>The context whose save just completed when no transaction of the caller's is open around it (else its commit reports).</summary>
    private DbContext? SavedOutsideTransaction(DbContext? context)
    {
        if (context is null)
        {
            return null;
        }
        _saving.Remove(context);
        return context.Database.CurrentTransaction is null ? context : null;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _saving.Remove(context);
            _pending.Remove(context);
            if (_unnumbered.TryGetValue(context, out var unnumbered))
            {
                _unnumbered.Remove(context);
                unnumbered.Own?.Dispose();
            }
        }
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && !_saving.TryGetValue(context, out _))
        {
            ReportAsync(context, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && !_saving.TryGetValue(context, out _))
        {
            await ReportAsync(context, cancellationToken);
        }
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private async Task Record(DbContext? context, Func<DbContext, CancellationToken, Task<IDbContextTransaction>> begin, CancellationToken ct)
    {
        if (context is null)
        {
            return;
        }
        _saving.AddOrUpdate(context, this);
        // One pass over the tracked entities: most saves (evaluation, ingestion) change no definition and stop here.
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && Definitions.ContainsKey(e.Entity.GetType()))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }
        if (entries.Any(e => HistoryRecorder.Records(e.Entity)))
        {
            var unnumbered = HistoryRecorder.Record(context, clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (unnumbered.Count > 0)
            {
                // Numbering their history takes a second statement: one transaction keeps the entry and its subject together.
                var own = context.Database.CurrentTransaction is null ? await begin(context, ct) : null;
                _unnumbered.AddOrUpdate(context, new Unnumbered(unnumbered, own));
            }
        }
        var pending = _pending.GetOrCreateValue(context);
        var tables = entries.Select(e => Definitions[e.Entity.GetType()]).Distinct().Order(StringComparer.Ordinal).ToList();
        Add(context, pending, new Change(0, ChangeKind.Definitions) { Tables = tables }, ChangePayload.Tables(tables));
        var deletedGoals = entries.Where(e => e is { State: EntityState.Deleted, Entity: Goal }).Select(e => ((Goal)e.Entity).Id).ToList();
        if (deletedGoals.Count > 0)
        {
            // Their results go with them (cascade).
            Add(context, pending, new Change(0, ChangeKind.GoalResults) { Goals = deletedGoals }, ChangePayload.Goals(deletedGoals));
        }
    }

    private void Add(DbContext context, List<(ChangeRecord, Change)> pending, Change change, string payload)
    {
        var record = new ChangeRecord { At = clock.GetUtcNow().ToUnixTimeMilliseconds(), Kind = change.Kind, Payload = payload };
        context.Add(record);
        pending.Add((record, change));
    }

    private async Task ReportAsync(DbContext context, CancellationToken ct)
    {
        if (!_pending.TryGetValue(context, out var pending) || pending.Count == 0)
        {
            return;
        }
        _pending.Remove(context);
        foreach (var (record, change) in pending)
        {
            // EF Core read the number back when it inserted the row.
            Feed.Committed(change with { Seq = record.Seq });
        }
        await Feed.CatchUpAsync(pending.Max(p => p.Record.Seq), ct);
    }
}
