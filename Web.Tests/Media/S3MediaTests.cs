using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Media;

/// <summary>
/// The site with its media in an S3 bucket, as in AWS. The bucket is served by s3rver (npm, pinned in
/// package.json), an S3-compatible server on loopback, and reached through the real AWS SDK client.
/// </summary>
public sealed class S3SiteFactory : SiteFactory
{
    public const string Bucket = "site-media";
    private readonly string directory = Directory.CreateTempSubdirectory("site-tests-s3-").FullName;
    private Process? server;
    private string endpoint = "";

    public static string MediaFolder => RepositoryFiles.PathOf("Web/media");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Media:Provider"] = "S3",
        ["Media:Bucket"] = Bucket,
    };

    public AmazonS3Client CreateS3Client() => new(
        new BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            // s3rver predates the SDK's default streaming checksums and would store their chunk framing as content.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public override async Task InitializeAsync()
    {
        var s3rver = RepositoryFiles.PathOf("node_modules/s3rver/bin/s3rver.js");
        if (!File.Exists(s3rver))
        {
            throw new InvalidOperationException("s3rver is missing: run `npm ci` at the repository root (make test does).");
        }

        var port = LocalMachine.FreePort();
        endpoint = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[s3rver, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", "--configure-bucket", Bucket])
        {
            info.ArgumentList.Add(argument);
        }

        server = Process.Start(info)!;
        using var s3 = CreateS3Client();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
                break;
            }
            catch (Exception) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }

        // What the deploy uploads: the media folder, keyed by its relative path.
        foreach (var file in Directory.EnumerateFiles(MediaFolder, "*", SearchOption.AllDirectories))
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = Path.GetRelativePath(MediaFolder, file).Replace('\\', '/'),
                FilePath = file,
                UseChunkEncoding = false,
            });
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        server?.Dispose();
        Directory.Delete(directory, recursive: true);
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
