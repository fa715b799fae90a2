using System.ComponentModel.DataAnnotations;
using Site.Web.Hosting;

namespace Site.Web.Media;

public sealed class MediaOptions : IValidatableObject
{
    public const string SectionName = MediaVariables.Section;

    public MediaProvider Provider { get; set; } = MediaProvider.Disk;

    /// <summary>Folder of the media files when <see cref="Provider"/> is Disk; relative to the content root.</summary>
    public string Path { get; set; } = "media";

    public string? Bucket { get; set; }

    /// <summary>Key prefix inside the bucket, such as "media/".</summary>
    public string Prefix { get; set; } = "";

    /// <summary>How long browsers and caches may keep a media file.</summary>
    [Range(0, 31_536_000)]
    public int CacheSeconds { get; set; } = 86_400;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == MediaProvider.S3 && string.IsNullOrWhiteSpace(Bucket))
        {
            yield return new ValidationResult("Media__Provider is S3 but Media__Bucket is empty.");
        }
    }
}
