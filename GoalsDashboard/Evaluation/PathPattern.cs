using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace GoalsDashboard.Evaluation;

/// <summary>
/// Page-path patterns: <c>*</c> matches any run of characters except <c>/</c>, <c>**</c> any run
/// including <c>/</c>; both may match an empty run. Paths are matched whole and case-sensitively,
/// after dropping a <c>?query</c> or <c>#fragment</c>; no trailing-slash folding.
/// </summary>
public static class PathPattern
{
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string? path)
    {
        if (path is null)
        {
            return false;
        }
        var clean = StripQuery(path);
        var regex = Cache.GetOrAdd(pattern, Compile);
        return regex is null ? string.Equals(pattern, clean, StringComparison.Ordinal) : regex.IsMatch(clean);
    }

    public static string StripQuery(string path)
    {
        var cut = path.IndexOfAny(['?', '#']);
        return cut < 0 ? path : path[..cut];
    }

    private static Regex? Compile(string pattern)
    {
        if (!pattern.Contains('*'))
        {
            return null;
        }
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*')
            {
                var doubleStar = i + 1 < pattern.Length && pattern[i + 1] == '*';
                regex.Append(doubleStar ? ".*" : "[^/]*");
                if (doubleStar)
                {
                    i++;
                }
            }
            else
            {
                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }
}
