using System.Text;

namespace Site.Web.Gallery;

/// <summary>What a file is, by its first bytes: never by its name or the type the browser claimed.</summary>
public static class MediaSignature
{
    public enum Type
    {
        Unknown,
        Jpeg,
        Png,
        WebP,
        Mp4,
        WebM,

        /// <summary>HEIC/HEIF/AVIF stills: an ISO media file like MP4, but a picture the site can't decode.</summary>
        HeifStill,
    }

    /// <summary>Enough of the file to tell (MP4 names its brand in the first 12 bytes, WebM its doctype within ~40).</summary>
    public const int HeaderLength = 64;

    private static readonly string[] StillBrands = ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif", "avis"];

    public static Type Of(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Type.Jpeg;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Type.Png;
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return Type.WebP;
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            return StillBrands.Contains(Encoding.ASCII.GetString(header[8..12])) ? Type.HeifStill : Type.Mp4;
        }

        // EBML, the container of WebM and Matroska; only the "webm" doctype is what browsers play.
        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]) && header.IndexOf("webm"u8) > 0)
        {
            return Type.WebM;
        }

        return Type.Unknown;
    }

    public static bool IsImage(Type type) => type is Type.Jpeg or Type.Png or Type.WebP;

    public static bool IsVideo(Type type) => type is Type.Mp4 or Type.WebM;

    public static string ContentType(Type type) => type switch
    {
        Type.Mp4 => "video/mp4",
        Type.WebM => "video/webm",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only videos are stored as uploaded."),
    };

    public static string Extension(Type type) => type == Type.WebM ? ".webm" : ".mp4";
}
