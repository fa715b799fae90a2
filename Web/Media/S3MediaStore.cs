using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Site.Web.Media;

/// <summary>
/// Media from a private S3 bucket, fetched by the app (through the VPC's gateway endpoint) rather than
/// exposing the bucket. Reads are lazy and ranged, so a video seek fetches only what is played.
/// </summary>
public sealed class S3MediaStore(IOptions<MediaOptions> options, IAmazonS3? client = null) : IMediaStore, IDisposable
{
    private readonly IAmazonS3 s3 = client ?? new AmazonS3Client();
    private readonly string bucket = options.Value.Bucket!;
    private readonly string prefix = options.Value.Prefix;

    public async Task<MediaFile?> FindAsync(string path, CancellationToken cancellationToken)
    {
        var key = prefix + path;
        GetObjectMetadataResponse metadata;
        try
        {
            metadata = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var length = metadata.ContentLength;
        var etag = metadata.ETag;
        return new MediaFile(length, metadata.LastModified ?? DateTime.UnixEpoch, etag,
            () => new S3RangeStream(s3, bucket, key, length, etag));
    }

    public async Task PutAsync(string path, Stream content, string contentType, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = prefix + path,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
            // One signed request with a Content-Length, as every S3-compatible store understands.
            UseChunkEncoding = false,
        }, cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = prefix + path }, cancellationToken);

    public void Dispose()
    {
        if (client is null)
        {
            s3.Dispose();
        }
    }

    /// <summary>A read-only, seekable view of one object version; each seek starts a new ranged GET on the next read.</summary>
    internal sealed class S3RangeStream(IAmazonS3 s3, string bucket, string key, long length, string etag) : Stream
    {
        private long position;
        private GetObjectResponse? response;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position >= length || buffer.Length == 0)
            {
                return 0;
            }

            response ??= await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ByteRange = new ByteRange(position, length - 1),
                // A deploy may replace the object mid-download; never splice two versions together.
                EtagToMatch = etag,
            }, cancellationToken);
            var read = await response.ResponseStream.ReadAsync(buffer, cancellationToken);
            position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => position + offset,
                _ => length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            if (target != position)
            {
                DropResponse();
                position = target;
            }

            return position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                DropResponse();
            }

            base.Dispose(disposing);
        }

        private void DropResponse()
        {
            response?.Dispose();
            response = null;
        }
    }
}
