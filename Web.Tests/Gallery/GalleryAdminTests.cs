using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

public sealed class GalleryAdminTests(GallerySiteFactory site) : IClassFixture<GallerySiteFactory>
{
    private readonly HttpClient visitor = site.CreateClient();

    private static async Task<long> UploadAsync(HttpClient owner, string caption)
    {
        using var response = await Uploads.PostAsync(owner, new Uploads.Part(TestFiles.Jpeg(800, 600), "photo.jpg", "image/jpeg"), caption);
        return Uploads.IdOf(response);
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient owner, long id, string form, Dictionary<string, string>? values = null)
    {
        var page = await owner.GetDocumentAsync("/admin/gallery");
        return await owner.SubmitAsync(page, $"#item-{id} {form}", values ?? []);
    }

    private async Task<List<long>> PublicOrderAsync()
    {
        var gallery = await visitor.GetDocumentAsync("/gallery");
        return gallery.QuerySelectorAll(".gallery a").Select(a => long.Parse(a.GetAttribute("href")!["/gallery/".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    [Fact]
    public async Task MovingAnItemUpSwapsItWithTheOneBeforeItInThePublicGallery()
    {
        var owner = await site.SignedInClientAsync();
        var first = await UploadAsync(owner, "Move first");
        var second = await UploadAsync(owner, "Move second");
        var before = await PublicOrderAsync();
        Assert.Equal([first, second], before[^2..]);

        using var moved = await ActAsync(owner, second, "form.move-up");

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal($"/admin/gallery#item-{second}", moved.Headers.Location?.OriginalString);
        Assert.Equal([.. before[..^2], second, first], await PublicOrderAsync());
        using var back = await ActAsync(owner, second, "form.move-down");
        Assert.Equal(before, await PublicOrderAsync());
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'moved gallery item up' AND subject = @subject", new { subject = $"#{second}" }));
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'moved gallery item down' AND subject = @subject", new { subject = $"#{second}" }));
    }

    [Fact]
    public async Task TheFirstItemCannotBeMovedUpNorTheLastDown()
    {
        var owner = await site.SignedInClientAsync();
        await UploadAsync(owner, "Last in the list");
        var page = await owner.GetDocumentAsync("/admin/gallery");
        var items = page.QuerySelectorAll("#items > li").ToList();

        Assert.True(items[0].QuerySelector<IHtmlButtonElement>("form.move-up button")!.IsDisabled);
        Assert.False(items[0].QuerySelector<IHtmlButtonElement>("form.move-down button")!.IsDisabled);
        Assert.True(items[^1].QuerySelector<IHtmlButtonElement>("form.move-down button")!.IsDisabled);
    }

    [Fact]
    public async Task AHiddenItemLeavesThePublicGalleryAndItsPageAndShowingItBringsItBack()
    {
        var owner = await site.SignedInClientAsync();
        var id = await UploadAsync(owner, "Hide me");

        using var hide = await ActAsync(owner, id, "form.visibility");

        Assert.Equal(HttpStatusCode.Redirect, hide.StatusCode);
        Assert.DoesNotContain(id, await PublicOrderAsync());
        using (var page = await visitor.GetAsync(new Uri($"/gallery/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        var admin = await owner.GetDocumentAsync("/admin/gallery");
        Assert.Equal("Hidden", admin.QuerySelector($"#item-{id} .badge")?.TextContent);

        using var show = await ActAsync(owner, id, "form.visibility");

        Assert.Contains(id, await PublicOrderAsync());
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'hid gallery item' AND subject = @subject", new { subject = $"#{id}" }));
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'showed gallery item' AND subject = @subject", new { subject = $"#{id}" }));
    }

    [Fact]
    public async Task DeletingAnItemRemovesItsRowAndEveryStoredFile()
    {
        var owner = await site.SignedInClientAsync();
        var before = await site.UploadedKeysAsync();
        var id = await UploadAsync(owner, "Delete me");
        var added = (await site.UploadedKeysAsync()).Except(before).ToList();
        // 800 pixels wide: the 480 and 800 sizes, and the original.
        Assert.Equal(3, added.Count);

        using var delete = await ActAsync(owner, id, ".delete form");

        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal(0, await site.CountAsync("gallery_items", "id = @id", new { id }));
        Assert.Empty((await site.UploadedKeysAsync()).Intersect(added));
        Assert.DoesNotContain(id, await PublicOrderAsync());
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'deleted gallery item' AND subject = @subject", new { subject = $"#{id} Delete me" }));
    }

    [Fact]
    public async Task EditingTheCaptionAndDescriptionShowsThemInThePublicGallery()
    {
        var owner = await site.SignedInClientAsync();
        var id = await UploadAsync(owner, "Before the edit");

        using var edit = await ActAsync(owner, id, "form.edit", new() { ["caption"] = "Lobster pots", ["altText"] = "Lobster pots stacked on the harbour wall." });

        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        var page = await visitor.GetDocumentAsync($"/gallery/{id}");
        Assert.Equal("Lobster pots", page.QuerySelector("h1")?.TextContent);
        Assert.Equal("Lobster pots stacked on the harbour wall.", page.QuerySelector(".gallery-item img")?.GetAttribute("alt"));
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'edited gallery item' AND subject = @subject", new { subject = $"#{id}" }));
    }

    [Fact]
    public async Task AnEditWithoutADescriptionIsRefusedKeepingWhatWasTypedAndChangesNothing()
    {
        var owner = await site.SignedInClientAsync();
        var id = await UploadAsync(owner, "Kept caption");

        using var edit = await ActAsync(owner, id, "form.edit", new() { ["caption"] = "Typed but refused", ["altText"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        var page = await Html.ParseAsync(edit);
        Assert.Contains("Please describe what it shows", page.QuerySelector($"#error-{id}")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Typed but refused", page.QuerySelector<IHtmlInputElement>($"#caption-{id}")?.Value);
        Assert.Equal(1, await site.CountAsync("gallery_items", "id = @id AND caption = 'Kept caption'", new { id }));
    }

    [Fact]
    public async Task ChangingAnItemThatIsNoLongerThereAnswers404()
    {
        var owner = await site.SignedInClientAsync();
        var id = await UploadAsync(owner, "Gone soon");
        var page = await owner.GetDocumentAsync("/admin/gallery");
        using (await ActAsync(owner, id, ".delete form"))
        {
        }

        using var response = await owner.SubmitAsync(page, $"#item-{id} form.visibility", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
