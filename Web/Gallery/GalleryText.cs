namespace Site.Web.Gallery;

/// <summary>The caption and description the owner gives a picture or video, checked the same way on upload and on edit.</summary>
public static class GalleryText
{
    public const string CaptionField = "caption";
    public const string AltTextField = "altText";

    public static UploadRefusal? Check(string? caption, string? altText)
    {
        if (string.IsNullOrWhiteSpace(caption))
        {
            return new UploadRefusal(CaptionField, "Please give a caption: it is shown under the picture.");
        }

        if (caption.Trim().Length > GalleryItem.CaptionLength)
        {
            return new UploadRefusal(CaptionField, $"The caption is {caption.Trim().Length} characters; it may be at most {GalleryItem.CaptionLength}.");
        }

        if (string.IsNullOrWhiteSpace(altText))
        {
            return new UploadRefusal(AltTextField,
                "Please describe what it shows: visitors who can't see it hear this description instead.");
        }

        return altText.Trim().Length > GalleryItem.AltTextLength
            ? new UploadRefusal(AltTextField, $"The description is {altText.Trim().Length} characters; it may be at most {GalleryItem.AltTextLength}.")
            : null;
    }
}
