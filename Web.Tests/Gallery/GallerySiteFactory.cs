using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Media;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

/// <summary>The site with the owner signed in and its media in an S3-compatible bucket (s3rver), filled as the deploy fills it.</summary>
public sealed class GallerySiteFactory : AdminSiteFactory
{
    public const string Bucket = "site-media";
    private S3Server? server;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(OwnerSettings)
    {
        ["Media:Provider"] = "S3",
        ["Media:Bucket"] = Bucket,
    };

    public AmazonS3Client CreateS3Client() => server!.CreateClient();

    /// <summary>Every key in the bucket under the owner's uploads.</summary>
    public async Task<IReadOnlyList<string>> UploadedKeysAsync()
    {
        using var s3 = CreateS3Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = MediaKeys.Uploads });
        return (listed.S3Objects ?? []).Select(o => o.Key).Order().ToList();
    }

    public async Task<byte[]?> ObjectAsync(string key)
    {
        using var s3 = CreateS3Client();
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, key);
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes);
            return bytes.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public override async Task InitializeAsync()
    {
        server = await S3Server.StartAsync(Bucket, RepositoryFiles.PathOf("Web/media"));
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
