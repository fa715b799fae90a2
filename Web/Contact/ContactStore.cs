using Dapper;
using Site.Web.Data;
using Site.Web.Notifications;

namespace Site.Web.Contact;

public sealed record ContactMessage(long Id, string Name, string Email, string Message, DateTime CreatedAt, bool Handled)
{
    /// <summary>False when this is another message, stored earlier under the same idempotency key.</summary>
    public bool Holds(string name, string email, string message) => Name == name && Email == email && Message == message;
}

public sealed class ContactStore(Db db, OwnerMail ownerMail)
{
    private const string Select =
        "SELECT id AS Id, name AS Name, email AS Email, message AS Message, created_at AS CreatedAt, handled AS Handled FROM contact_messages";

    /// <summary>
    /// Stores a message and, in the same transaction, the owner's mail about it; or finds the one stored earlier with
    /// the same idempotency key, whose mail was queued then.
    /// </summary>
    /// <returns>The message as committed.</returns>
    public Task<ContactMessage> AddAsync(string name, string email, string message, string? idempotencyKey, CancellationToken cancellationToken) =>
        db.RunAsync("contact.add", connection => IdempotentInsert.RunAsync<ContactMessage>(
            connection,
            "INSERT INTO contact_messages (name, email, message, idempotency_key) VALUES (@name, @email, @message, @idempotencyKey)",
            Select, new { name, email, message, idempotencyKey }, idempotencyKey,
            transaction => ownerMail.EnqueueAsync(transaction, $"Message from {name}", MailBody(name, email, message), email, cancellationToken),
            cancellationToken), cancellationToken);

    private static string MailBody(string name, string email, string message) => $"""
        {name} <{email}> wrote through the contact form:

        {message}

        Reply to this mail to answer them. The message is also in /admin/messages.
        """;
}
