using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Reliability;

public sealed class ConcurrencyTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    private async Task<(HttpStatusCode Status, long Id)> PostAsync(string message, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/guestbook") { Content = JsonContent.Create(new { name = "Crowd", message }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        var id = response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64() : 0;
        return (response.StatusCode, id);
    }

    /// <summary>
    /// Below the connection pool's size, so that no post waits for a connection: more in flight than the pool holds
    /// is an overload, answered 503 after the connect timeout, however fast the machine.
    /// </summary>
    private const int InFlight = 50;

    [Fact]
    public async Task ManyParallelPostsAreEachStoredExactlyOnce()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var messages = Enumerable.Range(0, 300).Select(i => $"parallel {run} {i}").ToList();
        using var slots = new SemaphoreSlim(InFlight);

        var results = await Task.WhenAll(messages.Select(async m =>
        {
            await slots.WaitAsync();
            try
            {
                return await PostAsync(m);
            }
            finally
            {
                slots.Release();
            }
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(messages.Count, results.Select(r => r.Id).Distinct().Count());
        Assert.Equal(messages.Count, await site.CountAsync("guestbook_entries", "message LIKE @pattern", new { pattern = $"parallel {run} %" }));
    }

    [Fact]
    public async Task ParallelRetriesWithOneIdempotencyKeyStoreOneEntry()
    {
        var key = Guid.NewGuid().ToString();
        var message = $"retried in parallel {Guid.NewGuid():N}";

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => PostAsync(message, key)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }
}
