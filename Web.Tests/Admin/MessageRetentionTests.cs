using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Admin;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>The owner's site with the retention sweep every 200 ms instead of every hour.</summary>
public sealed class FrequentRetentionSiteFactory : AdminSiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(OwnerSettings)
    {
        ["Retention:Interval"] = "00:00:00.2",
        ["Retention:BatchSize"] = "3",
    };
}

public sealed class MessageRetentionTests(FrequentRetentionSiteFactory site) : IClassFixture<FrequentRetentionSiteFactory>
{
    private async Task<IReadOnlyList<long>> MessagesAgedAsync(int count, int days)
    {
        var ids = await site.ContactMessagesAsync(count);
        await using var connection = await site.OpenDatabaseAsync();
        await connection.ExecuteAsync(
            "UPDATE contact_messages SET created_at = UTC_TIMESTAMP(6) - INTERVAL @days DAY WHERE id IN @ids", new { ids, days });
        return ids;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !await condition(); await Task.Delay(50))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still waiting, after 30 s, for {what}.");
        }
    }

    private Task<long> OlderThanAsync(int days) =>
        site.CountAsync("contact_messages", "created_at < UTC_TIMESTAMP(6) - INTERVAL @days DAY", new { days });

    /// <summary>How many messages the retention's recorded actions say it deleted while keeping <paramref name="days"/> days, batch by batch.</summary>
    private async Task<IReadOnlyList<int>> RecordedBatchesAsync(int days) =>
        (await Moderation.ActionsAsync(site))
            .Where(a => a.Actor == MessageRetention.Actor && a.Subject.EndsWith($"UTC, kept {days} days", StringComparison.Ordinal))
            .Select(a => int.Parse(a.Action.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private async Task SetRetentionAsync(string days)
    {
        using var saved = await Moderation.SaveSettingsAsync(await site.SignedInClientAsync(), retentionDays: days);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
    }

    [Fact]
    public async Task WithARetentionSetTheSweepDeletesExactlyTheMessagesOlderThanItInBatchesAndRecordsIt()
    {
        var old = await MessagesAgedAsync(7, days: 31);
        var kept = (await MessagesAgedAsync(2, days: 29)).Concat(await site.ContactMessagesAsync(1)).ToList();
        var due = await OlderThanAsync(30);

        await SetRetentionAsync("30");
        await WaitUntilAsync(async () => await OlderThanAsync(30) == 0, "the old messages to go");

        Assert.Equal(0, await site.CountAsync("contact_messages", "id IN @old", new { old }));
        Assert.Equal(3, await site.CountAsync("contact_messages", "id IN @kept", new { kept }));
        var batches = await RecordedBatchesAsync(30);
        Assert.Equal(due, batches.Sum());
        Assert.All(batches, size => Assert.InRange(size, 1, 3));
        var logged = await site.Logs.WaitForAsync(
            e => LogsInsights.Text(e, LogFields.EventName) == LogFields.Events.MessagesDeletedByRetention
                && LogsInsights.Text(e, "RetentionDays") == "30", "retention deletion");
        Assert.Equal(due, logged.GetProperty("DeletedMessages").GetInt32());
        await SetRetentionAsync("");
    }

    [Fact]
    public async Task WithoutARetentionNothingIsDeletedHoweverOld()
    {
        await SetRetentionAsync("");
        var ancient = await MessagesAgedAsync(2, days: 4000);

        Assert.Equal(0, await site.Services.GetRequiredService<MessageRetention>().SweepAsync(CancellationToken.None));
        Assert.Equal(2, await site.CountAsync("contact_messages", "id IN @ancient", new { ancient }));
        await using var connection = await site.OpenDatabaseAsync();
        await connection.ExecuteAsync("DELETE FROM contact_messages WHERE id IN @ancient", new { ancient });
    }

    [Fact]
    public async Task TwoTasksSweepingTogetherDeleteAndRecordEachMessageOnce()
    {
        await using var second = site.SecondTask();
        await second.InitializeAsync();
        await MessagesAgedAsync(10, days: 100);
        var due = await OlderThanAsync(50);

        await SetRetentionAsync("50");
        await Task.WhenAll(
            site.Services.GetRequiredService<MessageRetention>().SweepAsync(CancellationToken.None),
            second.Services.GetRequiredService<MessageRetention>().SweepAsync(CancellationToken.None));
        await WaitUntilAsync(async () => (await RecordedBatchesAsync(50)).Sum() >= due, "every deletion to be recorded");

        Assert.Equal(0, await OlderThanAsync(50));
        Assert.Equal(due, (await RecordedBatchesAsync(50)).Sum());
        await SetRetentionAsync("");
    }
}
