using System.Net;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Media;

/// <summary>
/// The site with its media in an S3 bucket, as in AWS, and the owner's account. The bucket is served by s3rver (npm,
/// pinned in package.json), an S3-compatible server on loopback, and reached through the real AWS SDK client.
/// </summary>
public class S3SiteFactory : AdminSiteFactory
{
    public const string Bucket = "site-media";
    private S3Server? server;

    public static string MediaFolder => RepositoryFiles.PathOf("Web/media");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(OwnerSettings)
    {
        ["Media:Provider"] = "S3",
        ["Media:Bucket"] = Bucket,
    };

    public AmazonS3Client CreateS3Client() => server!.CreateClient();

    public override async Task InitializeAsync()
    {
        // What the deploy uploads: the media folder, keyed by its relative path.
        server = await S3Server.StartAsync(Bucket, MediaFolder);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IAmazonS3>(_ => CreateS3Client());
}

public sealed class S3MediaTests(S3SiteFactory site) : IClassFixture<S3SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    [Fact]
    public async Task GalleryImagesComeFromTheBucketByteForByte()
    {
        var page = await client.GetDocumentAsync("/gallery");
        var sources = page.QuerySelectorAll(".gallery img").Select(img => img.GetAttribute("src")!).ToList();
        Assert.NotEmpty(sources);

        foreach (var src in sources)
        {
            using var response = await client.GetAsync(new Uri(src, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            var onDisk = await File.ReadAllBytesAsync(Path.Combine(S3SiteFactory.MediaFolder, src["/media/".Length..]));
            Assert.Equal(onDisk, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task VideoRangeRequestsAreServedFromTheBucket()
    {
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(S3SiteFactory.MediaFolder, "video", "intro.mp4"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/video/intro.mp4");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 4999);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 1000-4999/{onDisk.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(onDisk[1000..5000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnUnchangedFileAnswers304ToAConditionalRequest()
    {
        using var first = await client.GetAsync(new Uri("/media/video/intro-poster.webp", UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/media/video/intro-poster.webp");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task AFileMissingFromTheBucketIsNotFound()
    {
        using var response = await client.GetAsync(new Uri("/media/gallery/not-uploaded-960.webp", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
