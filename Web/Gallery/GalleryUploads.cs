using System.Security.Cryptography;
using Site.Web.Media;

namespace Site.Web.Gallery;

/// <summary>A refusal of one field of the upload form, in words for the owner.</summary>
public sealed record UploadRefusal(string Field, string Message);

/// <summary>
/// Checks an upload, makes what the pages publish from it and stores it: files first, then the row, so the gallery
/// never lists a file that isn't there. A refusal stores nothing; a failure part-way removes what it had stored.
/// </summary>
public sealed partial class GalleryUploads(GalleryStore store, IMediaStore media, ILogger<GalleryUploads> logger)
{
    public const long MaxImageBytes = 15 * Megabyte;
    public const long MaxVideoBytes = 100 * Megabyte;

    /// <summary>A video, its poster, and the form's other fields.</summary>
    public const long MaxRequestBytes = MaxVideoBytes + MaxImageBytes + Megabyte;

    private const long Megabyte = 1024 * 1024;

    private const string Accepted = "Please upload a JPEG, PNG or WebP picture, or an MP4 or WebM video.";

    /// <returns>The new item's id, or why the upload was refused.</returns>
    public async Task<(long? Id, UploadRefusal? Refusal)> AddAsync(
        string caption, string altText, IFormFile file, IFormFile? poster, string actor, CancellationToken cancellationToken)
    {
        var type = await SniffAsync(file, cancellationToken);
        if (Refuse(file, type, nameof(file), video: true) is { } refused)
        {
            return (null, refused);
        }

        if (poster is not null)
        {
            if (MediaSignature.IsImage(type))
            {
                return (null, new UploadRefusal(nameof(poster), "A poster goes with a video; a picture is its own poster. Leave this empty for a picture."));
            }

            if (Refuse(poster, await SniffAsync(poster, cancellationToken), nameof(poster), video: false) is { } posterRefused)
            {
                return (null, posterRefused);
            }
        }

        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        ProcessedImage? picture;
        try
        {
            picture = MediaSignature.IsImage(type) ? await ProcessAsync(file, cancellationToken)
                : poster is null ? null : await ProcessAsync(poster, cancellationToken);
        }
        catch (UploadRefusedException e)
        {
            return (null, new UploadRefusal(MediaSignature.IsImage(type) ? nameof(file) : nameof(poster), e.Message));
        }

        var stored = new List<string>();
        try
        {
            var sizes = new List<StoredSize>();
            foreach (var (width, webp) in picture?.Sizes ?? [])
            {
                var key = $"{MediaKeys.Uploads}{name}-{width}.webp";
                await PutAsync(key, new MemoryStream(webp), "image/webp", stored, cancellationToken);
                sizes.Add(new StoredSize(width, key));
            }

            string? original = null;
            var sources = new List<VideoSource>();
            if (MediaSignature.IsImage(type))
            {
                original = $"{MediaKeys.Originals}{name}.webp";
                await PutAsync(original, new MemoryStream(picture!.Original), "image/webp", stored, cancellationToken);
            }
            else
            {
                var key = $"{MediaKeys.Uploads}{name}{MediaSignature.Extension(type)}";
                await using var content = file.OpenReadStream();
                await PutAsync(key, content, MediaSignature.ContentType(type), stored, cancellationToken);
                sources.Add(new VideoSource(key, MediaSignature.ContentType(type)));
            }

            // Without a poster the video's own size is unknown until it plays: 16:9 reserves the usual space.
            var item = new GalleryItem(0, MediaSignature.IsImage(type) ? GalleryKind.Image : GalleryKind.Video, caption, altText, 0, false,
                picture?.Width ?? 1280, picture?.Height ?? 720, original, sizes, sources, default);
            return (await store.AddAsync(item, actor, cancellationToken), null);
        }
        catch
        {
            await RemoveAsync(stored, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Removes an item's files once its row is gone. The deploy's own files are left: the next deploy would restore them.</summary>
    public Task RemoveAsync(GalleryItem item, CancellationToken cancellationToken) =>
        RemoveAsync(item.Keys.Where(k => k.StartsWith(MediaKeys.Uploads, StringComparison.Ordinal)).ToList(), cancellationToken);

    private static async Task<MediaSignature.Type> SniffAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var header = new byte[MediaSignature.HeaderLength];
        await using var stream = file.OpenReadStream();
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        return MediaSignature.Of(header.AsSpan(0, read));
    }

    private static UploadRefusal? Refuse(IFormFile file, MediaSignature.Type type, string field, bool video)
    {
        if (file.Length == 0)
        {
            return new UploadRefusal(field, "This file is empty. " + Accepted);
        }

        if (type == MediaSignature.Type.HeifStill)
        {
            return new UploadRefusal(field,
                "HEIC and AVIF pictures can't be shown in every browser. Please export the picture as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible) and upload that.");
        }

        if (!MediaSignature.IsImage(type) && !(video && MediaSignature.IsVideo(type)))
        {
            return new UploadRefusal(field, $"“{file.FileName}” is not a picture{(video ? " or video" : "")} the site can show (the file's content was checked, not its name). "
                + (video ? Accepted : "Please upload a JPEG, PNG or WebP picture."));
        }

        var limit = MediaSignature.IsImage(type) ? MaxImageBytes : MaxVideoBytes;
        return file.Length > limit
            ? new UploadRefusal(field, $"“{file.FileName}” is {Math.Ceiling((double)file.Length / Megabyte)} MB; a {(MediaSignature.IsImage(type) ? "picture" : "video")} may be at most {limit / Megabyte} MB.")
            : null;
    }

    private static async Task<ProcessedImage> ProcessAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
        }

        return await ImageProcessor.ProcessAsync(buffer.ToArray(), cancellationToken);
    }

    private async Task PutAsync(string key, Stream content, string contentType, List<string> stored, CancellationToken cancellationToken)
    {
        // Recorded before the write: a write that fails half-way may still have left something to remove.
        stored.Add(key);
        await media.PutAsync(key, content, contentType, cancellationToken);
    }

    private async Task RemoveAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            try
            {
                await media.DeleteAsync(key, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotRemoved(logger, e, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "MediaNotRemoved", Message = "Media file {MediaKey} could not be removed and is left in the store")]
    private static partial void LogNotRemoved(ILogger logger, Exception exception, string mediaKey);
}
