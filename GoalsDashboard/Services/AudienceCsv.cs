using System.Globalization;
using CsvHelper;

namespace GoalsDashboard.Services;

/// <summary>One data line of an audience file, with what is wrong with it (null when nothing is).</summary>
public sealed record AudienceCsvRow(int Line, string ProfileId, string? EnteredAtText, DateTimeOffset? EnteredAt, string? Error);

/// <summary>An audience file read for preview: its rows, or why it could not be read at all.</summary>
public sealed record AudienceCsvFile(IReadOnlyList<AudienceCsvRow> Rows, string? Problem)
{
    public IEnumerable<AudienceCsvRow> Errors => Rows.Where(r => r.Error is not null);
}

/// <summary>
/// Reads an audience upload: a header naming <c>profile_id</c> and, optionally, <c>entered_at</c> (ISO 8601),
/// one profile per line. Every line is checked, so the preview can list each bad line by number.
/// </summary>
public static class AudienceCsv
{
    public const int MaxRows = 100_000;

    public static AudienceCsvFile Parse(string text, DateTimeOffset now)
    {
        try
        {
            using var csv = CsvReader.FromText(text, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, SkipEmptyLines = true });
            if (!csv.TryGetFieldIndex("profile_id", out var idColumn))
            {
                return new AudienceCsvFile([], "The first line must name the columns: profile_id and, optionally, entered_at (for example \"profile_id,entered_at\").");
            }
            var hasEntered = csv.TryGetFieldIndex("entered_at", out var enteredColumn);
            var rows = new List<AudienceCsvRow>();
            while (csv.Read())
            {
                if (rows.Count == MaxRows)
                {
                    return new AudienceCsvFile([], $"The file has more than {MaxRows:N0} profiles; split it into several files.");
                }
                var line = (int)csv.LineNumber;
                var id = (idColumn < csv.FieldCount ? csv.GetString(idColumn) : "").Trim();
                var enteredText = hasEntered && enteredColumn < csv.FieldCount ? csv.GetString(enteredColumn).Trim() : "";
                string? error = null;
                DateTimeOffset? entered = null;
                if (id.Length == 0)
                {
                    error = "The profile id is empty.";
                }
                else if (id.Length > Domain.Profile.MaxExternalIdLength)
                {
                    error = $"The profile id is {id.Length} characters; the limit is {Domain.Profile.MaxExternalIdLength}.";
                }
                else if (id.Any(char.IsControl))
                {
                    // A binary file read as text, most likely; a NUL could not even be stored.
                    error = "The profile id holds control characters (such as NUL); is this the right file?";
                }
                if (enteredText.Length > 0)
                {
                    if (DateTimeOffset.TryParse(enteredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    {
                        entered = at;
                        if (at > now.AddDays(1))
                        {
                            error ??= "The entry time is in the future.";
                        }
                    }
                    else
                    {
                        error ??= $"\"{enteredText}\" is not a date and time; use ISO 8601 such as 2026-03-01T10:00:00Z or 2026-03-01.";
                    }
                }
                rows.Add(new AudienceCsvRow(line, id, enteredText.Length == 0 ? null : enteredText, entered, error));
            }
            return rows.Count == 0 ? new AudienceCsvFile([], "The file has a header but no profiles.") : new AudienceCsvFile(rows, null);
        }
        catch (CsvFormatException ex)
        {
            return new AudienceCsvFile([], $"The file is not valid CSV: {ex.Message}");
        }
    }
}
