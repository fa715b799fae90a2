namespace Site.Web.Media;

/// <summary>A media file found in a store: its metadata, and a way to read it that supports seeking (for range requests).</summary>
public sealed record MediaFile(long Length, DateTimeOffset LastModified, string ETag, Func<Stream> OpenRead);

/// <summary>Where the site's images and video live: the local disk in development, S3 in AWS.</summary>
public interface IMediaStore
{
    /// <param name="path">A relative path such as "gallery/harbour-960.webp"; already checked to be safe.</param>
    Task<MediaFile?> FindAsync(string path, CancellationToken cancellationToken);
}
