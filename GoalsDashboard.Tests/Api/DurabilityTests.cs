using System.Diagnostics;
using System.Net;
using GoalsDashboard.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Tests.Api;

/// <summary>
/// A 2xx means the data is in the database the app serves, and <c>/health</c> checks what writes need
/// (docs/api.md, "Durability"): with the file deleted or unwritable, writes answer 503 and health says so.
/// </summary>
[Trait("Provider", "SqliteOnly")]
public class DurabilityTests : IAsyncLifetime
{
    private readonly GoalsAppFactory _factory = new();

    public Task InitializeAsync()
    {
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        SetWritable(_factory.DatabasePath, true);
        await _factory.DisposeAsync();
    }

    private static string Event(string profile) => $$"""{"profile_id":"{{profile}}","name":"signup"}""";

    [Fact]
    public async Task DatabaseFileDeleted_WritesAre503_AndHealthIs503()
    {
        using var client = _factory.ApiClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/api/v1/events", Event("before"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        foreach (var file in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_factory.DatabasePath + file);
        }

        using var write = await client.PostJsonAsync("/api/v1/events", Event("after"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.True(write.Headers.Contains("Retry-After"));
        // Still 503 on the next try: the pools were cleared and the file is not quietly made again.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostJsonAsync("/api/v1/events", Event("again"))).StatusCode);
        Assert.False(File.Exists(_factory.DatabasePath));
        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("unhealthy", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DatabaseFileReadOnly_HealthIs503_AndNewWritesAre503()
    {
        using var client = _factory.ApiClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/api/v1/events", Event("before-ro"))).StatusCode);

        SetWritable(_factory.DatabasePath, false);
        SqliteConnection.ClearAllPools(); // connections opened from now on find the file read-only

        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var write = await client.PostJsonAsync("/api/v1/events", Event("after-ro"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);

        SetWritable(_factory.DatabasePath, true);
        SqliteConnection.ClearAllPools();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/api/v1/events", Event("after-ro"))).StatusCode);
    }

    /// <summary>chmod binds other users; root ignores it, so as root the file is made immutable instead.</summary>
    private static void SetWritable(string path, bool writable)
    {
        if (!File.Exists(path))
        {
            return;
        }
        if (Environment.UserName == "root")
        {
            using var chattr = Process.Start("chattr", [writable ? "-i" : "+i", path])!;
            chattr.WaitForExit();
            Assert.True(chattr.ExitCode == 0, "chattr could not change the file's immutable flag");
        }
        else
        {
            File.SetUnixFileMode(path, writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead);
        }
    }
}
