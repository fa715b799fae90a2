using System.Text.Json;

namespace Site.Web.Media;

/// <summary>What media the site shows, with sizes and descriptions: media/catalog.json, shipped with the app.</summary>
public sealed record MediaCatalog(MediaCatalog.HeroImage Hero, IReadOnlyList<MediaCatalog.Image> Images, MediaCatalog.Video Clip)
{
    public sealed record HeroImage(string Base, IReadOnlyList<int> Widths, int Width, int Height, string Alt);

    public sealed record Image(string Slug, string Title, string Alt, int Width, int Height, IReadOnlyList<int> Widths);

    public sealed record Video(string Title, string Description, int Width, int Height, string Poster, IReadOnlyList<VideoSource> Sources);

    public sealed record VideoSource(string Src, string Type);

    private sealed record File(HeroImage Hero, IReadOnlyList<Image> Images, Video Video);

    public static MediaCatalog Load(string contentRoot)
    {
        var path = Path.Combine(contentRoot, "media", "catalog.json");
        var file = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"{path} is empty.");
        return new MediaCatalog(file.Hero, file.Images, file.Video);
    }

    /// <summary>A srcset value for images stored as {base}-{width}.webp.</summary>
    public static string SrcSet(string baseName, IEnumerable<int> widths) =>
        string.Join(", ", widths.Select(w => $"/media/{baseName}-{w}.webp {w}w"));
}
