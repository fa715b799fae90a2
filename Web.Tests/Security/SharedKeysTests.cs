using System.Net;
using System.Security.Cryptography;
using AngleSharp.Dom;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

public sealed class EncryptedKeysSiteFactory : SiteFactory
{
    public static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = Key };
}

/// <summary>Two tasks of the site on one database, as ECS runs them behind the load balancer.</summary>
public sealed class SharedKeysTests(EncryptedKeysSiteFactory first) : IClassFixture<EncryptedKeysSiteFactory>, IAsyncLifetime
{
    private SiteFactory second = null!;

    public async Task InitializeAsync()
    {
        second = SiteFactory.SharingDatabaseWith(first);
        await second.InitializeAsync();
    }

    public async Task DisposeAsync() => await second.DisposeAsync();

    [Fact]
    public async Task AFormRenderedByOneTaskIsAcceptedByAnother()
    {
        var form = await FormOfAsync(first);
        var message = $"Crossed tasks {Guid.NewGuid():N}";

        using var posted = await SignAsync(second, form, "Roaming", message);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(1, await first.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task KeysAreGeneratedStoredOnceAndEncryptedAtRest()
    {
        using var _ = await first.CreateClient().GetAsync(new Uri("/contact", UriKind.Relative));
        using var __ = await second.CreateClient().GetAsync(new Uri("/contact", UriKind.Relative));

        await using var connection = await first.OpenDatabaseAsync();
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<aesGcmEncrypted", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task KeysStoredBeforeTheirTableWasAMigrationStillVerifyForms()
    {
        var form = await FormOfAsync(first);
        await using var connection = await first.OpenDatabaseAsync();
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY id")).ToList();

        // A database from before the migration: the table, made by the app itself, and its keys, but no 0050.
        await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 50");
        var upgraded = SiteFactory.SharingDatabaseWith(first);
        try
        {
            await upgraded.InitializeAsync();

            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations WHERE version = 50"));
            Assert.Equal(keys, await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY id"));
            using var posted = await SignAsync(upgraded, form, "Returning", $"Upgraded {Guid.NewGuid():N}");
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        finally
        {
            await upgraded.DisposeAsync();
        }
    }

    /// <summary>The guestbook's form as one task renders it, with the cookies it set.</summary>
    private static async Task<(IDocument Page, string Cookies)> FormOfAsync(SiteFactory task)
    {
        using var response = await task.CreateBrowserLikeClient().GetAsync(new Uri("/guestbook", UriKind.Relative));
        return (await Html.ParseAsync(response), string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
    }

    /// <summary>That form, filled in, posted to a task with the cookies.</summary>
    private static Task<HttpResponseMessage> SignAsync(SiteFactory task, (IDocument Page, string Cookies) form, string name, string message)
    {
        var client = task.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("Cookie", form.Cookies);
        return client.SubmitAsync(form.Page, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Message"] = message });
    }
}
