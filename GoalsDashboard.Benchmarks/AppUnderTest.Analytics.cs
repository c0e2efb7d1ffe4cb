using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GoalsDashboard.Benchmarks;

internal sealed partial class AppUnderTest
{
    /// <summary>
    /// The analytics a marketer opens, through the stats API (the same query layer as the pages), timed
    /// on loopback. "First view" is each goal's first details page since the app started, which loads
    /// the goal's results into memory. After that, "cold" periods end on different days, so nothing the
    /// app shares between requests of one period (the period's activity) is reused; "warm" repeats a
    /// period just asked for.
    /// </summary>
    public async Task<(double DetailsFirst, double DetailsCold, double DetailsWarm, double CompareCold, double CompareWarm)> MeasureAnalyticsAsync()
    {
        using var list = await _http.GetAsync("/api/v1/goals?page_size=100");
        using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var ids = json.RootElement.GetProperty("results").EnumerateArray().Select(g => g.GetProperty("id").GetString()!).Take(6).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // The details page asks for the period with breakdowns and the previous period for the changes.
        async Task<double> DetailsAsync(string id, int daysBack)
        {
            var to = today.AddDays(-daysBack);
            var stopwatch = Stopwatch.StartNew();
            await StatsAsync(id, to.AddDays(-29), to);
            await StatsAsync(id, to.AddDays(-59), to.AddDays(-30));
            return stopwatch.Elapsed.TotalMilliseconds;
        }

        // Six goals over one period: six stats answers (each with breakdowns, which the compare page does not need).
        async Task<double> CompareAsync(int daysBack)
        {
            var to = today.AddDays(-daysBack);
            var stopwatch = Stopwatch.StartNew();
            foreach (var id in ids)
            {
                await StatsAsync(id, to.AddDays(-29), to);
            }
            return stopwatch.Elapsed.TotalMilliseconds;
        }

        await StatsAsync(ids[0], today.AddDays(-400), today.AddDays(-400)); // first request: JIT and connection
        var detailsFirst = new List<double>();
        for (var k = 1; k < ids.Count; k++)
        {
            detailsFirst.Add(await DetailsAsync(ids[k], 60 + k * 3));
        }
        var detailsCold = new List<double>();
        var detailsWarm = new List<double>();
        for (var k = 1; k <= 5; k++)
        {
            detailsCold.Add(await DetailsAsync(ids[k % ids.Count], k * 3));
            detailsWarm.Add(await DetailsAsync(ids[(k + 1) % ids.Count], k * 3));
        }
        var compareCold = new List<double>();
        var compareWarm = new List<double>();
        for (var k = 1; k <= 3; k++)
        {
            compareCold.Add(await CompareAsync(20 + k * 3));
            compareWarm.Add(await CompareAsync(20 + k * 3));
        }
        return (Median(detailsFirst), Median(detailsCold), Median(detailsWarm), Median(compareCold), Median(compareWarm));
    }

    /// <summary>Creates a 4-step funnel and one with every goal (up to 12) through the API, then times their stats.</summary>
    public async Task<(double Four, double Long, int LongSteps)> MeasureFunnelsAsync()
    {
        using var list = await _http.GetAsync("/api/v1/goals?page_size=100");
        using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var ids = json.RootElement.GetProperty("results").EnumerateArray().Select(g => g.GetProperty("id").GetString()!).Take(12).ToList();
        async Task<int> CreateAsync(IEnumerable<string> goals)
        {
            var body = JsonSerializer.Serialize(new { name = $"Benchmark {Guid.NewGuid():N}", steps = goals.Select(g => new { goal_id = g }).ToList() });
            using var response = await _http.PostAsync("/api/v1/funnels", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return created.RootElement.GetProperty("id").GetInt32();
        }
        async Task<double> TimeAsync(int funnel)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var query = $"from={today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                using var response = await _http.GetAsync($"/api/v1/funnels/{funnel}/stats?{query}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
            return Median(times);
        }
        var four = await CreateAsync(ids.Take(4));
        var all = await CreateAsync(ids);
        return (await TimeAsync(four), await TimeAsync(all), ids.Count);
    }

    private async Task StatsAsync(string id, DateOnly from, DateOnly to)
    {
        var query = $"from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        using var response = await _http.GetAsync($"/api/v1/goals/{id}/stats?{query}");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
