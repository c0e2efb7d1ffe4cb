using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Components.Segments;

/// <summary>
/// The segment editor's state and rules, without a renderer: AND-ed conditions, checked as they are typed, a live
/// member count once they are whole (debounced; an edit cancels the count it made stale), and saving.
/// </summary>
public sealed class SegmentEditModel(SegmentService segments, Segment? segment)
{
    /// <summary>One condition as edited.</summary>
    public sealed class Row
    {
        public SegmentField Field { get; set; }
        public string? Key { get; set; }
        public Operator Operator { get; set; }
        public string? Value { get; set; }
        public bool Negate { get; set; }

        /// <summary>The values of "is one of", in the order they were added.</summary>
        public List<string> Values { get; set; } = [];

        public SegmentCondition ToCondition() => new(Field, Key, Operator, Operator == Operator.OneOf ? null : Value, Negate,
            Operator == Operator.OneOf ? Values.ToList() : null);

        /// <summary>Adds a value to "is one of" (once); returns whether it was new.</summary>
        public bool AddValue(string? value)
        {
            if (string.IsNullOrEmpty(value) || Values.Contains(value, StringComparer.Ordinal))
            {
                return false;
            }
            Values.Add(value);
            return true;
        }
    }

    private CancellationTokenSource _counting = new();
    private bool _showErrors;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public Segment? Segment { get; } = segment;
    public string? Name { get; set; } = segment?.Name;
    public List<Row> Conditions { get; } = segment?.Conditions.Select(c => new Row { Field = c.Field, Key = c.Key, Operator = c.Operator, Value = c.Value, Negate = c.Negate, Values = [.. c.Values ?? []] }).ToList() ?? [new Row()];

    /// <summary>The conditions in words, once they are whole.</summary>
    public string? Sentence { get; private set; }

    /// <summary>How many profiles match now, once counted.</summary>
    public int? Count { get; private set; }

    public bool Counting { get; private set; }

    /// <summary>An error that no field shows, from the last save.</summary>
    public string? Error { get; private set; }

    /// <summary>Errors show once the user tried to save; until then the count simply waits for whole conditions.</summary>
    public bool Has(string field) => _showErrors && _errors.ContainsKey(field);

    public string? ErrorOf(string field) => _showErrors && _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Checks the conditions as they are now and, when whole, counts the members after a pause (<paramref name="changed"/> redraws).</summary>
    public void Recount(Func<Task> changed)
    {
        var cts = new CancellationTokenSource();
        Interlocked.Exchange(ref _counting, cts).Cancel();
        try
        {
            var normalized = SegmentRules.Normalize(new SegmentDraft(string.IsNullOrWhiteSpace(Name) ? "-" : Name, Conditions.Select(c => c.ToCondition()).ToList()));
            _errors = new Dictionary<string, string[]>();
            Sentence = SegmentRules.Describe(normalized.Conditions);
            _ = CountAsync(normalized.Conditions, changed, cts.Token);
        }
        catch (DomainValidationException ex)
        {
            _errors = ex.Errors;
            (Sentence, Count) = (null, null);
        }
    }

    private async Task CountAsync(IReadOnlyList<SegmentCondition> conditions, Func<Task> changed, CancellationToken ct)
    {
        try
        {
            await Task.Delay(300, ct);
            Counting = true;
            await changed();
            var count = await segments.CountMembersAsync(conditions, ct);
            if (!ct.IsCancellationRequested)
            {
                (Count, Counting) = (count, false);
                await changed();
            }
        }
        catch (OperationCanceledException)
        {
            // A newer edit counts for itself.
        }
    }

    /// <summary>Creates or saves the segment; null with the errors shown when a rule is broken.</summary>
    public async Task<Segment?> SaveAsync(string user)
    {
        _showErrors = true;
        Error = null;
        try
        {
            var draft = new SegmentDraft(Name, Conditions.Select(c => c.ToCondition()).ToList());
            return Segment is null ? await segments.CreateAsync(draft, user) : await segments.UpdateAsync(Segment.Id, draft, user);
        }
        catch (DomainValidationException ex)
        {
            _errors = ex.Errors;
            Error = ex.Errors.Keys.All(k => k == "name" || k.StartsWith("conditions[", StringComparison.Ordinal)) ? null : ex.Message;
            return null;
        }
    }

    public void Dispose() => _counting.Cancel();
}
