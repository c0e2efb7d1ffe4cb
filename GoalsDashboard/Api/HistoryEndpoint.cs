using GoalsDashboard.Domain;
using GoalsDashboard.Services;

namespace GoalsDashboard.Api;

/// <summary>The <c>…/history</c> endpoints of goals, funnels, campaigns and segments (docs/history.md): one shape, paged, newest first.</summary>
public static class HistoryEndpoint
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>
    /// Answers one page of a subject's history; 404 (with <paramref name="notFound"/>) when it has none and
    /// <paramref name="exists"/> says it never existed — a deleted subject keeps its history.
    /// </summary>
    public static async Task<IResult> PageAsync(HistoryService history, string subject, string id, HttpRequest request, string? page, string? pageSize,
        Func<Task<bool>> exists, string notFound, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var pageNumber = Paging.Positive(page, 1, "page", int.MaxValue, errors);
        var size = Paging.Positive(pageSize, DefaultPageSize, "page_size", MaxPageSize, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }
        var (items, total) = await history.PageAsync(subject, id, pageNumber, size, ct);
        if (total == 0 && !await exists())
        {
            return ApiProblems.NotFound(notFound);
        }
        string Link(int p) => $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?page={p}&page_size={size}";
        return TypedResults.Ok(new HistoryPage(items.Select(HistoryItemResponse.From).ToList(), total,
            pageNumber * size < total ? Link(pageNumber + 1) : null, pageNumber > 1 ? Link(pageNumber - 1) : null));
    }
}
