namespace Site.Web.Media;

/// <summary>A media file found in a store: its metadata, and a way to read it that supports seeking (for range requests).</summary>
public sealed record MediaFile(long Length, DateTimeOffset LastModified, string ETag, Func<Stream> OpenRead);

/// <summary>Where the site's images and video live: the local disk in development, S3 in AWS.</summary>
/// <remarks>Paths are relative, such as "gallery/harbour-960.webp", and already checked to be safe.</remarks>
public interface IMediaStore
{
    Task<MediaFile?> FindAsync(string path, CancellationToken cancellationToken);

    /// <summary>Stores a whole file, replacing any file at that path; readers never see part of it.</summary>
    Task PutAsync(string path, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Removes a file; removing one that is not there is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
