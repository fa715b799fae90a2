using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// An S3-compatible server on loopback standing in for the media bucket: s3rver (npm, pinned in package.json),
/// reached through the real AWS SDK client, with one bucket filled as the deploy fills it.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    /// <summary>The keys s3rver accepts; any signature made with them verifies.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process server;
    private readonly string directory;

    private S3Server(Process server, string directory, string endpoint, string bucket)
    {
        this.server = server;
        this.directory = directory;
        Endpoint = endpoint;
        Bucket = bucket;
    }

    public string Endpoint { get; }

    public string Bucket { get; }

    /// <summary>Starts s3rver with one bucket and uploads a folder into it, keyed by relative path after a prefix.</summary>
    public static async Task<S3Server> StartAsync(string bucket, string folder, string keyPrefix = "")
    {
        var s3rver = RepositoryFiles.PathOf("node_modules/s3rver/bin/s3rver.js");
        if (!File.Exists(s3rver))
        {
            throw new InvalidOperationException("s3rver is missing: run `npm ci` at the repository root (make test does).");
        }

        var data = Directory.CreateTempSubdirectory("site-tests-s3-").FullName;
        var port = LocalMachine.FreePort();
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[s3rver, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-s", "--configure-bucket", bucket])
        {
            info.ArgumentList.Add(argument);
        }

        var server = new S3Server(Process.Start(info)!, data, $"http://127.0.0.1:{port}", bucket);
        using var s3 = server.CreateClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
                break;
            }
            catch (Exception) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = keyPrefix + Path.GetRelativePath(folder, file).Replace('\\', '/'),
                FilePath = file,
                UseChunkEncoding = false,
            });
        }

        return server;
    }

    public AmazonS3Client CreateClient() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            // s3rver predates the SDK's default streaming checksums and would store their chunk framing as content.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public async ValueTask DisposeAsync()
    {
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        server.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
