using System.Net;
using AngleSharp.Dom;
using Dapper;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

/// <summary>
/// Two tasks of the site on one database, each keeping the gallery visitors see for the longest lifetime allowed: the
/// owner's change shows at once on the task that made it, and on every other within the lifetime.
/// </summary>
public sealed class GalleryCacheTests(TwoTasks<CachingSite> tasks) : IClassFixture<TwoTasks<CachingSite>>
{
    private static bool Shows(IDocument gallery, long id) => gallery.QuerySelector($".gallery a[href='/gallery/{id}']") is not null;

    [Fact]
    public async Task AnItemTheOwnerHidesLeavesTheirTaskAtOnceAndAnotherOnceItsReadIsALifetimeOld()
    {
        var onA = tasks.A.CreateClient();
        var onB = tasks.B.CreateClient();
        long id;
        await using (var connection = await tasks.A.OpenDatabaseAsync())
        {
            id = await connection.QuerySingleAsync<long>("SELECT MIN(id) FROM gallery_items WHERE hidden = 0 AND kind = 'image'");
        }

        Assert.True(Shows(await onA.GetDocumentAsync("/gallery"), id));
        await tasks.FreshReadOnBAsync(onB, "/gallery");
        var owner = tasks.A.CreateClient(AdminSiteFactory.OwnerClientOptions);
        using (var signedIn = await AdminSiteFactory.SignInAsync(owner))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var hidden = await owner.SubmitAsync(await owner.GetDocumentAsync("/admin/gallery"), $"#item-{id} form.visibility", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, hidden.StatusCode);
        Assert.False(Shows(await onA.GetDocumentAsync("/gallery"), id), "the task that hid it shows it no more");
        Assert.True(Shows(await onB.GetDocumentAsync("/gallery"), id), "B serves the gallery it read, not the database: the cache is in use");
        tasks.B.Clock.Advance(CachingSite.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.True(Shows(await onB.GetDocumentAsync("/gallery"), id));
        tasks.B.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(Shows(await onB.GetDocumentAsync("/gallery"), id));
        using var page = await onB.GetAsync(new Uri($"/gallery/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }
}
