namespace GoalsDashboard.Services;

/// <summary>First → last step conversion of the profiles whose step 1 fell in one bucket.</summary>
public sealed record FunnelTrendRow(DateOnly Date, int Started, int Finished, double ConversionRate);
