using GoalsDashboard.Domain;

namespace GoalsDashboard.Services;

/// <summary>A campaign as the list shows it: its audience and each linked goal's attributed figures since it started.</summary>
public sealed record CampaignListItem(Campaign Campaign, int AudienceSize, IReadOnlyList<AttributedGoal> Goals, DateOnly From, DateOnly To);
