using SkiaSharp;

namespace Site.Web.Gallery;

/// <summary>A picture made safe to publish: upright, without its metadata, in WebP at the widths the pages ask for.</summary>
/// <param name="Original">The full-size copy, re-encoded: the uploaded file's EXIF (camera, GPS position) is gone.</param>
/// <param name="Sizes">Narrowest first.</param>
public sealed record ProcessedImage(int Width, int Height, byte[] Original, IReadOnlyList<(int Width, byte[] Webp)> Sizes);

/// <summary>Why an upload was refused, in words for the owner.</summary>
public sealed class UploadRefusedException(string message) : Exception(message);

public static class ImageProcessor
{
    public static readonly int[] Widths = [480, 960, 1600];

    /// <summary>A 40-megapixel picture decodes to 160 MB; a task has 512 MiB.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>WebP can't be wider or taller than this.</summary>
    private const int WebPMaxSide = 16_383;

    private const int Quality = 82;
    private const int OriginalQuality = 92;

    // One picture at a time per task: two large decodes at once could exhaust its memory.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<ProcessedImage> ProcessAsync(byte[] file, CancellationToken cancellationToken)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            return Process(file);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>The widths to make: none wider than the picture, which is never enlarged.</summary>
    public static IReadOnlyList<int> WidthsFor(int width) =>
        Widths.Where(w => w < width).Append(Math.Min(width, Widths[^1])).Distinct().ToList();

    private static ProcessedImage Process(byte[] file)
    {
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data)
            ?? throw new UploadRefusedException("This picture could not be read: the file is damaged or not a JPEG, PNG or WebP picture.");

        // The header gives the size before anything is decoded: a small file can claim a huge picture (a decompression bomb).
        var info = codec.Info;
        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new UploadRefusedException(
                $"This picture is {info.Width} × {info.Height} pixels, more than the {MaxPixels / 1_000_000} megapixels the site accepts. " +
                "Please make it smaller and upload it again.");
        }

        using var decoded = SKBitmap.Decode(codec, info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul))
            ?? throw new UploadRefusedException("This picture could not be decoded: the file is damaged or incomplete.");
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var original = Fit(upright, WebPMaxSide);
        var sizes = WidthsFor(upright.Width).Select(w =>
        {
            using var size = Resize(upright, w);
            return (w, Encode(size, Quality));
        }).ToList();
        return new ProcessedImage(upright.Width, upright.Height, Encode(original, OriginalQuality), sizes);
    }

    /// <summary>Turns the pixels the way the camera's EXIF orientation says, since the re-encoded file no longer carries it.</summary>
    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        float w = bitmap.Width, h = bitmap.Height;
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is null)
        {
            return bitmap.Copy();
        }

        var swapped = origin >= SKEncodedOrigin.LeftTop;
        var turned = new SKBitmap(bitmap.Info.WithSize(swapped ? bitmap.Height : bitmap.Width, swapped ? bitmap.Width : bitmap.Height));
        using var canvas = new SKCanvas(turned);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.SetMatrix(matrix.Value);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return turned;
    }

    private static SKBitmap Fit(SKBitmap bitmap, int maxSide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(bitmap.Width, bitmap.Height));
        return Resize(bitmap, Math.Max(1, (int)(bitmap.Width * scale)));
    }

    private static SKBitmap Resize(SKBitmap bitmap, int width)
    {
        if (width == bitmap.Width)
        {
            return bitmap.Copy();
        }

        var height = Math.Max(1, (int)Math.Round((double)bitmap.Height * width / bitmap.Width));
        var resized = new SKBitmap(bitmap.Info.WithSize(width, height));
        using var canvas = new SKCanvas(resized);
        using var image = SKImage.FromBitmap(bitmap);
        // Drawn through mipmaps: a plain linear filter shrinking 4000 pixels to 480 would alias fine detail.
        canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return resized;
    }

    private static byte[] Encode(SKBitmap bitmap, int quality)
    {
        using var webp = bitmap.Encode(SKEncodedImageFormat.Webp, quality);
        return webp.ToArray();
    }
}
