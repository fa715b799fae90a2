using System.ComponentModel.DataAnnotations;

namespace Site.Web.Guestbook;

public sealed class GuestbookOptions
{
    public const string SectionName = "Guestbook";

    /// <summary>
    /// How long a task serves the newest screen of entries it read before reading it again. Every task shows a new entry,
    /// and stops showing a hidden one, within this time of the change, whichever task made it; the 1 s ceiling is that
    /// promise. 0 reads the database on every view.
    /// </summary>
    [Range(0, 1000)]
    public int NewestCacheMs { get; set; } = 500;
}
