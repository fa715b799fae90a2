namespace Site.Web.Gallery;

public enum GalleryKind
{
    Image,
    Video,
}

/// <summary>One stored WebP size of a picture or of a video's poster.</summary>
public sealed record StoredSize(int Width, string Key);

/// <summary>One file of a video, as uploaded.</summary>
public sealed record VideoSource(string Key, string Type);

/// <summary>A picture or a video of the gallery, with where its files are in the media store.</summary>
/// <param name="AltText">What a picture shows, for those who can't see it; for a video, its description.</param>
/// <param name="Sizes">Narrowest first.</param>
public sealed record GalleryItem(
    long Id, GalleryKind Kind, string Caption, string AltText, int Position, bool Hidden, int Width, int Height,
    string? OriginalKey, IReadOnlyList<StoredSize> Sizes, IReadOnlyList<VideoSource> Sources, DateTime CreatedAt)
{
    public const int CaptionLength = 200;
    public const int AltTextLength = 1000;

    /// <summary>A srcset value for the picture (or poster) sizes.</summary>
    public string SrcSet => string.Join(", ", Sizes.Select(s => $"{Url(s.Key)} {s.Width}w"));

    /// <summary>The size a browser without srcset gets: the middle one, sharp enough in a grid without being the largest.</summary>
    public string Src => Url(Sizes[Sizes.Count / 2].Key);

    public string LargestSrc => Url(Sizes[^1].Key);

    /// <summary>Every key the item owns in the media store.</summary>
    public IEnumerable<string> Keys =>
        Sizes.Select(s => s.Key).Concat(Sources.Select(s => s.Key)).Concat(OriginalKey is null ? [] : [OriginalKey]);

    public static string Url(string key) => "/media/" + key;
}

/// <summary>An item with its neighbours in the public order, for the page of one item.</summary>
public sealed record GalleryNeighbours(GalleryItem Item, long? Previous, long? Next, int Number, int Count);
