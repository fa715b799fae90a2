using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using SkiaSharp;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

public sealed class GalleryUploadTests(GallerySiteFactory site) : IClassFixture<GallerySiteFactory>
{
    private readonly HttpClient visitor = site.CreateClient();

    public static TheoryData<string, string, string, string> HostileFiles => new()
    {
        { "bomb", "bomb.png", "image/png", "30000 × 30000 pixels, more than the 40 megapixels" },
        { "text", "holiday.jpg", "image/jpeg", "“holiday.jpg” is not a picture or video the site can show" },
        { "svg", "logo.svg", "image/svg+xml", "“logo.svg” is not a picture or video the site can show" },
        { "huge", "huge.jpg", "image/jpeg", "a picture may be at most 15 MB" },
    };

    private static byte[] Hostile(string kind) => kind switch
    {
        "bomb" => TestFiles.DecompressionBombPng(),
        "text" => TestFiles.Text(),
        "svg" => TestFiles.SvgWithScript(),
        _ => TestFiles.Huge(),
    };

    private async Task<(int Width, string ContentType, byte[] Bytes)> FetchAsync(string src)
    {
        using var response = await visitor.GetAsync(new Uri(src, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        return (codec.Info.Width, response.Content.Headers.ContentType!.MediaType!, bytes);
    }

    private async Task<GalleryRow> RowAsync(long id)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<GalleryRow>(
            "SELECT kind AS Kind, caption AS Caption, width AS Width, height AS Height, original_key AS OriginalKey, sizes AS Sizes FROM gallery_items WHERE id = @id",
            new { id });
    }

    [Fact]
    public async Task AnUploadedPhotoIsPublishedInEachWidthAsWebPAndItsOriginalIsKeptButNotServed()
    {
        var owner = await site.SignedInClientAsync();
        var caption = $"Quay {Guid.NewGuid():N}"[..13];

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(TestFiles.Jpeg(2000, 1500), "quay.jpg", "image/jpeg"), caption);

        var id = Uploads.IdOf(response);
        var gallery = await visitor.GetDocumentAsync("/gallery");
        var link = gallery.QuerySelectorAll<IHtmlAnchorElement>(".gallery a").Single(a => a.GetAttribute("href") == $"/gallery/{id}");
        Assert.Equal(caption, link.ParentElement!.QuerySelector("figcaption")!.TextContent);
        var img = link.QuerySelector("img")!;
        Assert.Equal("Fishing boats moored in a calm harbour.", img.GetAttribute("alt"));
        Assert.Equal(("2000", "1500"), (img.GetAttribute("width"), img.GetAttribute("height")));
        var sources = img.GetAttribute("srcset")!.Split(", ").Select(s => s.Split(' ')).ToList();
        Assert.Equal(["480w", "960w", "1600w"], sources.Select(s => s[1]));
        foreach (var source in sources)
        {
            Assert.StartsWith("/media/uploads/", source[0], StringComparison.Ordinal);
            var (width, type, bytes) = await FetchAsync(source[0]);
            Assert.Equal("image/webp", type);
            Assert.Equal(int.Parse(source[1].TrimEnd('w'), System.Globalization.CultureInfo.InvariantCulture), width);
            Assert.Equal(bytes, await site.ObjectAsync(source[0]["/media/".Length..]));
        }

        var row = await RowAsync(id);
        Assert.StartsWith("uploads/originals/", row.OriginalKey, StringComparison.Ordinal);
        using var original = SKCodec.Create(new MemoryStream((await site.ObjectAsync(row.OriginalKey!))!));
        Assert.Equal((2000, 1500, SKEncodedImageFormat.Webp), (original.Info.Width, original.Info.Height, original.EncodedFormat));
        using var served = await visitor.GetAsync(new Uri($"/media/{row.OriginalKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'added gallery image' AND subject = @subject", new { subject = $"#{id} {caption}" }));
    }

    [Fact]
    public async Task APictureNarrowerThanTheLargestSizeIsNeverEnlarged()
    {
        var owner = await site.SignedInClientAsync();

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(TestFiles.Png(700, 300), "small.png", "image/png"));

        var row = await RowAsync(Uploads.IdOf(response));
        Assert.Contains("\"width\":480", row.Sizes, StringComparison.Ordinal);
        Assert.Contains("\"width\":700", row.Sizes, StringComparison.Ordinal);
        Assert.DoesNotContain("\"width\":960", row.Sizes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APhoneJpegIsStoredUprightAndNoStoredFileKeepsItsGpsPositionOrCameraDetails()
    {
        var owner = await site.SignedInClientAsync();
        var before = await site.UploadedKeysAsync();
        var upload = TestFiles.JpegWithGpsAndOrientation(400, 200);
        Assert.Contains(TestFiles.CameraMaker, Encoding.ASCII.GetString(upload), StringComparison.Ordinal);
        using (var codec = SKCodec.Create(new MemoryStream(upload)))
        {
            Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
        }

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(upload, "IMG_0001.JPG", "image/jpeg"));

        var row = await RowAsync(Uploads.IdOf(response));
        // Turned a quarter clockwise: the 400 × 200 picture is 200 wide and 400 high, its red left half now on top.
        Assert.Equal((200, 400), (row.Width, row.Height));
        var stored = (await site.UploadedKeysAsync()).Except(before).ToList();
        Assert.Equal(2, stored.Count);
        foreach (var key in stored)
        {
            var bytes = (await site.ObjectAsync(key))!;
            var text = Encoding.ASCII.GetString(bytes);
            Assert.DoesNotContain(TestFiles.CameraMaker, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exif", text, StringComparison.Ordinal);
            Assert.DoesNotContain("EXIF", text, StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.Equal((200, 400), (bitmap.Width, bitmap.Height));
            var top = bitmap.GetPixel(100, 50);
            var bottom = bitmap.GetPixel(100, 350);
            Assert.True(top.Red > 200 && top.Blue < 60, $"top is {top}, not red");
            Assert.True(bottom.Blue > 200 && bottom.Red < 60, $"bottom is {bottom}, not blue");
        }
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task AHostileUploadIsRefusedWithAClearMessageAndLeavesNothingBehind(string kind, string fileName, string contentType, string message)
    {
        var owner = await site.SignedInClientAsync();
        var keys = await site.UploadedKeysAsync();
        var rows = await site.CountAsync("gallery_items");
        var caption = $"Hostile {kind} {Guid.NewGuid():N}"[..24];

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(Hostile(kind), fileName, contentType), caption);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(message, page.QuerySelector("#upload-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#file")?.GetAttribute("aria-invalid"));
        Assert.Equal(caption, page.QuerySelector<IHtmlInputElement>("#caption")?.Value);
        Assert.Equal(rows, await site.CountAsync("gallery_items"));
        Assert.Equal(keys, await site.UploadedKeysAsync());
        Assert.Equal(0, await site.CountAsync("owner_actions", "subject LIKE @subject", new { subject = $"% {caption}" }));
    }

    [Fact]
    public async Task AVideoIsStoredAsUploadedWithItsPosterAndPlaysFromTheGallery()
    {
        var owner = await site.SignedInClientAsync();
        var video = await File.ReadAllBytesAsync(RepositoryFiles.PathOf("Web/media/video/intro.mp4"));
        var caption = $"Regatta {Guid.NewGuid():N}"[..16];

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(video, "regatta.mov", "application/octet-stream"), caption,
            "Sailing boats rounding the harbour mark.", new Uploads.Part(TestFiles.Png(1280, 720), "poster.png", "image/png"));

        var id = Uploads.IdOf(response);
        var gallery = await visitor.GetDocumentAsync("/gallery");
        var film = gallery.QuerySelector($"#film-{id}")!.ParentElement!;
        Assert.Equal(caption, film.QuerySelector("h2")!.TextContent);
        var source = film.QuerySelector("video source")!;
        Assert.Equal("video/mp4", source.GetAttribute("type"));
        using var played = await visitor.GetAsync(new Uri(source.GetAttribute("src")!, UriKind.Relative));
        Assert.Equal("video/mp4", played.Content.Headers.ContentType?.MediaType);
        Assert.Equal(video, await played.Content.ReadAsByteArrayAsync());
        var poster = await FetchAsync(film.QuerySelector("video")!.GetAttribute("poster")!);
        Assert.Equal(("image/webp", 1280), (poster.ContentType, poster.Width));
    }

    [Fact]
    public async Task AnUploadWithoutACaptionIsRefusedAndKeepsWhatWasTyped()
    {
        var owner = await site.SignedInClientAsync();
        var rows = await site.CountAsync("gallery_items");

        using var response = await Uploads.PostAsync(owner, new Uploads.Part(TestFiles.Jpeg(600, 400), "a.jpg", "image/jpeg"), " ", "Nets drying on the quay.");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("Please give a caption", page.QuerySelector("#upload-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Nets drying on the quay.", page.QuerySelector("#altText")?.TextContent);
        Assert.Equal(rows, await site.CountAsync("gallery_items"));
    }

    private sealed record GalleryRow(string Kind, string Caption, int Width, int Height, string? OriginalKey, string Sizes);
}
