namespace Site.Web.Guestbook;

/// <param name="Hidden">
/// True when the entry is not public: held for review when it was just posted (or hidden since). Entries read for the
/// public are never hidden.
/// </param>
public sealed record GuestbookEntry(long Id, string Name, string Message, DateTime CreatedAt, bool Hidden)
{
    /// <summary>False when this is another entry, stored earlier under the same idempotency key.</summary>
    public bool Holds(string name, string message) => Name == name && Message == message;
}

/// <summary>One screen of entries, newest first, with the cursors for the neighbouring screens.</summary>
public sealed record GuestbookPage(IReadOnlyList<GuestbookEntry> Entries, long? NewerCursor, long? OlderCursor);

public static class GuestbookRules
{
    public const int PageSize = 20;
    public const int MessageMaxLength = 1000;

    public static (string Name, string Message) Validate(Common.InputValidator validator, string? name, string? message) =>
        (validator.Name("Name", name),
         validator.Text("Message", "a message", message, MessageMaxLength, multiline: true));
}
