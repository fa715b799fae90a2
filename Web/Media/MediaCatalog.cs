using System.Text.Json;
using System.Text.Json.Serialization;

namespace Site.Web.Media;

/// <summary>
/// The home page's picture, with its sizes and description: media/catalog.json, shipped with the app. The gallery's
/// pictures are rows in the database (Gallery/).
/// </summary>
public sealed partial record MediaCatalog(MediaCatalog.HeroImage Hero)
{
    public sealed record HeroImage(string Base, IReadOnlyList<int> Widths, int Width, int Height, string Alt);

    internal sealed record File(HeroImage Hero);

    // Read by code generated at build time: a new task starts without building this contract by reflection.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(File))]
    private sealed partial class Json : JsonSerializerContext;

    public static MediaCatalog Load(string contentRoot)
    {
        var path = Path.Combine(contentRoot, "media", "catalog.json");
        var file = JsonSerializer.Deserialize(System.IO.File.ReadAllText(path), Json.Default.File)
            ?? throw new InvalidOperationException($"{path} is empty.");
        return new MediaCatalog(file.Hero);
    }

    /// <summary>A srcset value for images stored as {base}-{width}.webp.</summary>
    public static string SrcSet(string baseName, IEnumerable<int> widths) =>
        string.Join(", ", widths.Select(w => $"/media/{baseName}-{w}.webp {w}w"));
}
