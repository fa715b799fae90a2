using Dapper;

namespace Site.Web.Tests.Infrastructure;

public static class Seed
{
    /// <summary>Inserts visible guestbook entries named "{prefix} 1" … "{prefix} n", oldest first; returns their ids in that order.</summary>
    public static async Task<IReadOnlyList<long>> GuestbookEntriesAsync(this SiteFactory site, int count, string prefix = "Visitor")
    {
        await using var connection = await site.OpenDatabaseAsync();
        var ids = new List<long>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO guestbook_entries (name, message) VALUES (@name, @message); SELECT LAST_INSERT_ID();",
                new { name = $"{prefix} {i}", message = $"Message number {i}" }));
        }

        return ids;
    }

    /// <summary>Inserts unhandled contact messages "Sender 1" … "Sender n", oldest first; returns their ids in that order.</summary>
    public static async Task<IReadOnlyList<long>> ContactMessagesAsync(this SiteFactory site, int count)
    {
        var marker = $"{Guid.NewGuid():N}"[..8];
        await using var connection = await site.OpenDatabaseAsync();
        var ids = new List<long>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO contact_messages (name, email, message) VALUES (@name, 'sender@example.org', @message); SELECT LAST_INSERT_ID();",
                new { name = $"Sender {i}", message = $"Message {marker} {i}" }));
        }

        return ids;
    }

    public static async Task<long> CountAsync(this SiteFactory site, string table, string where = "1 = 1", object? parameters = null)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {where}", parameters);
    }
}
