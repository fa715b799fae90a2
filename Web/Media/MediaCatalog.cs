using System.Text.Json;

namespace Site.Web.Media;

/// <summary>
/// The home page's picture, with its sizes and description: media/catalog.json, shipped with the app. The gallery's
/// pictures are rows in the database (Gallery/).
/// </summary>
public sealed record MediaCatalog(MediaCatalog.HeroImage Hero)
{
    public sealed record HeroImage(string Base, IReadOnlyList<int> Widths, int Width, int Height, string Alt);

    private sealed record File(HeroImage Hero);

    public static MediaCatalog Load(string contentRoot)
    {
        var path = Path.Combine(contentRoot, "media", "catalog.json");
        var file = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"{path} is empty.");
        return new MediaCatalog(file.Hero);
    }

    /// <summary>A srcset value for images stored as {base}-{width}.webp.</summary>
    public static string SrcSet(string baseName, IEnumerable<int> widths) =>
        string.Join(", ", widths.Select(w => $"/media/{baseName}-{w}.webp {w}w"));
}
