namespace Site.Web.Media;

/// <summary>
/// Where the owner's uploads live in the media store, compiled into the CDK app too: the web tasks may write and
/// delete under <see cref="Uploads"/> only, so a deploy's files (the rest of the bucket) are out of their reach.
/// </summary>
public static class MediaKeys
{
    public const string Uploads = "uploads/";

    /// <summary>Full-size copies of uploaded pictures, kept for the owner and never served to visitors.</summary>
    public const string Originals = Uploads + "originals/";
}
