namespace Site.Web.Media;

/// <summary>
/// Where the media files are kept (Media__Provider). The CDK app compiles this same file, so the value a task
/// definition sets is one MediaOptions can bind.
/// </summary>
public enum MediaProvider
{
    Disk,
    S3,
}
