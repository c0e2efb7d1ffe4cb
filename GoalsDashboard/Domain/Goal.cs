namespace GoalsDashboard.Domain;

/// <summary>
/// A conversion goal. Created and changed only through <see cref="Create"/> and <see cref="Replace"/>,
/// which take a draft already normalized by <see cref="GoalRules.Normalize"/>, so a stored goal always
/// satisfies docs/goals.md.
/// </summary>
public sealed class Goal
{
    private Goal()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>
    /// The goal's number in the workspace: given at creation, in creation order, never reused (a deleted goal's number
    /// stays taken). The Plausible-compatible API's integer id (docs/api.md, "Plausible Plugins API").
    /// </summary>
    public int Number { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Upper-cased name: the unique index that makes names unique regardless of case.</summary>
    public string NormalizedName { get; private set; } = "";
    public string? Description { get; private set; }
    public GoalType Type { get; private set; }
    public GoalStatus Status { get; private set; }
    public IReadOnlyList<ConditionGroup> Groups { get; private set; } = [];
    public GoalWindow? Window { get; private set; }
    public IReadOnlyList<string> Sites { get; private set; } = [];
    public string? Currency { get; private set; }
    public decimal? DefaultValue { get; private set; }
    public double? TargetRate { get; private set; }

    /// <summary>Grows with every change; the API's ETag and the optimistic-concurrency token.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// The <see cref="Version"/> whose completions are stored; behind it, evaluation is catching up. Written by the
    /// result store with the results it stands for (IResultStore.ReplaceGoalResultsAsync), in their transaction.
    /// </summary>
    public int EvaluatedVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";

    public List<GoalCampaign> CampaignLinks { get; private set; } = [];

    public bool IsEvaluating => Status == GoalStatus.Active && EvaluatedVersion < Version;

    public static Goal Create(GoalDraft normalized, string user, DateTimeOffset now, int number = 0, Guid? id = null)
    {
        var goal = new Goal
        {
            Id = id ?? Guid.NewGuid(),
            Number = number,
            Status = GoalStatus.Active,
            CreatedAt = now,
            CreatedBy = user,
            Version = 0,
        };
        goal.Apply(normalized, user, now);
        return goal;
    }

    /// <summary>Replaces the definition. The currency of a revenue goal is fixed at creation.</summary>
    public void Replace(GoalDraft normalized, string user, DateTimeOffset now)
    {
        if (Type == GoalType.Revenue && (normalized.Type != GoalType.Revenue || !string.Equals(normalized.Currency, Currency, StringComparison.Ordinal)))
        {
            throw new DomainValidationException(normalized.Type != GoalType.Revenue ? "type" : "currency",
                $"The currency of a revenue goal cannot be changed after creation (it is {Currency}); create a new goal instead.");
        }
        if (Type != GoalType.Revenue && normalized.Type == GoalType.Revenue)
        {
            throw new DomainValidationException("type", "A goal cannot become a revenue goal after creation; create a new revenue goal instead.");
        }
        Apply(normalized, user, now);
    }

    public void Archive(string user, DateTimeOffset now)
    {
        if (Status == GoalStatus.Archived)
        {
            return;
        }
        Status = GoalStatus.Archived;
        Touch(user, now);
    }

    public void Restore(string user, DateTimeOffset now)
    {
        if (Status == GoalStatus.Active)
        {
            return;
        }
        Status = GoalStatus.Active;
        Touch(user, now);
    }

    private void Apply(GoalDraft d, string user, DateTimeOffset now)
    {
        Name = d.Name ?? throw new ArgumentException("A normalized draft has a name.", nameof(d));
        NormalizedName = Name.ToUpperInvariant();
        Description = d.Description;
        Type = d.Type;
        Groups = d.Groups;
        Window = d.Window;
        Sites = d.Sites;
        Currency = d.Currency;
        DefaultValue = d.DefaultValue;
        TargetRate = d.TargetRate;
        Touch(user, now);
    }

    private void Touch(string user, DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
        UpdatedBy = user;
    }

    public GoalDraft ToDraft(IReadOnlyList<string> campaignKeys) => new()
    {
        Name = Name,
        Description = Description,
        Type = Type,
        Groups = Groups,
        Window = Window,
        Sites = Sites,
        Campaigns = campaignKeys,
        Currency = Currency,
        DefaultValue = DefaultValue,
        TargetRate = TargetRate,
    };
}

/// <summary>A goal linked to a campaign: the campaign's audience is what the goal's completions are attributed to.</summary>
public sealed class GoalCampaign
{
    public Guid GoalId { get; set; }
    public int CampaignId { get; set; }
}
