namespace GoalsDashboard.Services;

/// <summary>One bucket of a campaign's audience: profiles that entered in it and the audience size at its end.</summary>
public sealed record AudienceRow(DateOnly Date, int Entered, int Size);
