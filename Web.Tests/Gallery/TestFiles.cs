using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Site.Web.Tests.Gallery;

/// <summary>Files an owner, or someone pretending to be one, might upload.</summary>
public static class TestFiles
{
    /// <summary>Text that only a file carrying the EXIF block below contains.</summary>
    public const string CameraMaker = "HarbourTestCam";

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    /// <summary>
    /// A JPEG as a phone writes it: an EXIF block with the camera's maker, a GPS position (Greenwich: 51°28′40″N)
    /// and the orientation tag (6: the camera was turned a quarter clockwise, so the picture shows right way up turned).
    /// </summary>
    public static byte[] JpegWithGpsAndOrientation(int width, int height, ushort orientation = 6)
    {
        var jpeg = Jpeg(width, height);
        var exif = ExifSegment(orientation);
        // After the start-of-image marker, where cameras put APP1.
        return [.. jpeg[..2], .. exif, .. jpeg[2..]];
    }

    /// <summary>
    /// A decompression bomb: a valid PNG of 30 000 × 30 000 pixels, about 110 KB, that would decode to 3.6 GB.
    /// </summary>
    public static byte[] DecompressionBombPng()
    {
        const int side = 30_000;
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Each row: a filter byte then one bit per pixel (1-bit greyscale), all zeros.
            var row = new byte[1 + (side / 8)];
            for (var y = 0; y < side; y++)
            {
                zlib.Write(row);
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static byte[] SvgWithScript() => Encoding.UTF8.GetBytes(
        """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>""");

    public static byte[] Text() => Encoding.UTF8.GetBytes("This is a shopping list, not a photo.\nEggs\nFlour\n");

    /// <summary>A file that starts as a JPEG does and is 50 MB long.</summary>
    public static byte[] Huge() => [.. Jpeg(16, 16), .. new byte[50 * 1024 * 1024]];

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            // The left half red, the right half blue: enough to see which way a picture was turned.
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height, red);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    /// <summary>PNG's chunk checksum (CRC-32, polynomial 0xEDB88320), which decoders check.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>APP1 "Exif": a little-endian TIFF with IFD0 (Make, Orientation, GPS pointer) and a GPS IFD (latitude).</summary>
    private static byte[] ExifSegment(ushort orientation)
    {
        var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        var make = Encoding.ASCII.GetBytes(CameraMaker + "\0");
        // Header, then IFD0 at 8 with 3 entries (2 + 3*12 + 4 = 42 bytes), GPS IFD at 50 with 2 entries (30 bytes),
        // then the maker's text at 80 and the latitude's three rationals at 80 + make.Length.
        const int ifd0 = 8, gps = 50, data = 80;
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write(ifd0);

        w.Write((ushort)3);
        Entry(w, 0x010F, 2, make.Length, data); // Make, ASCII
        Entry(w, 0x0112, 3, 1, orientation); // Orientation, SHORT
        Entry(w, 0x8825, 4, 1, gps); // GPS IFD pointer, LONG
        w.Write(0);

        w.Write((ushort)2);
        Entry(w, 0x0001, 2, 2, 'N'); // GPSLatitudeRef "N\0", inline
        Entry(w, 0x0002, 5, 3, data + make.Length); // GPSLatitude, 3 RATIONALs
        w.Write(0);

        w.Write(make);
        foreach (var (numerator, denominator) in (ReadOnlySpan<(int, int)>)[(51, 1), (28, 1), (40, 1)])
        {
            w.Write(numerator);
            w.Write(denominator);
        }

        w.Flush();
        byte[] payload = [.. "Exif\0\0"u8, .. tiff.ToArray()];
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static void Entry(BinaryWriter w, ushort tag, ushort type, int count, int value)
    {
        w.Write(tag);
        w.Write(type);
        w.Write(count);
        w.Write(value);
    }
}
