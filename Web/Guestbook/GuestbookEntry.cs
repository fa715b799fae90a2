namespace Site.Web.Guestbook;

public sealed record GuestbookEntry(long Id, string Name, string Message, DateTime CreatedAt)
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
