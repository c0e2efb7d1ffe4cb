namespace GoalsDashboard.Services;

/// <summary>The choices the filters offer: what has been seen in the data and what has been defined.</summary>
public sealed record FilterChoices(
    IReadOnlyList<(string Key, string Label)> Sites,
    IReadOnlyList<string> Channels,
    IReadOnlyList<(string Key, string Name)> Campaigns,
    IReadOnlyList<(int Id, string Name)> Segments);
