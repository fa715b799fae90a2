using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Site.Web.Media;
using Site.Web.Tests.Media;

namespace Site.Web.Tests.Gallery;

/// <summary>The site with the owner signed in and its media in an S3-compatible bucket (s3rver), filled as the deploy fills it.</summary>
public sealed class GallerySiteFactory : S3SiteFactory
{
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
}
