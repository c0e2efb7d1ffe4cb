namespace GoalsDashboard.Services;

/// <summary>One audience import row: the profile and, optionally, when it entered.</summary>
public sealed record AudienceImportRow(string? ProfileId, DateTimeOffset? EnteredAt);
