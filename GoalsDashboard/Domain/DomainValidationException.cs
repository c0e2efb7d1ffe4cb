namespace GoalsDashboard.Domain;

/// <summary>
/// Thrown when input breaks a rule of the product. Carries one or more messages per field so the
/// wizard can show them inline and the API can return them as a problem-details <c>errors</c> map.
/// Field names are the API's snake_case paths, e.g. <c>groups[0].conditions[1].event_name</c>.
/// </summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>Collects field errors while validating, then throws them all at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new DomainValidationException(ToDictionary());
        }
    }
}

/// <summary>A change based on a stale version of an item: someone else saved in between.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
