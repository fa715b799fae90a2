using Dapper;
using Site.Web.Data;

namespace Site.Web.Contact;

public sealed record ContactMessage(long Id, string Name, string Email, string Message, DateTime CreatedAt, bool Handled)
{
    /// <summary>False when this is another message, stored earlier under the same idempotency key.</summary>
    public bool Holds(string name, string email, string message) => Name == name && Email == email && Message == message;
}

public static class ContactExtensions
{
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ContactStore>();
        builder.Services.AddSingleton<SentReceipt>();
        return builder;
    }
}

public sealed class ContactStore(Db db)
{
    /// <summary>Stores a message, or finds the one stored earlier with the same idempotency key.</summary>
    /// <returns>The message as committed.</returns>
    public Task<ContactMessage> AddAsync(string name, string email, string message, string? idempotencyKey, CancellationToken cancellationToken) =>
        db.RunAsync("contact.add", connection => connection.QuerySingleAsync<ContactMessage>(new CommandDefinition(
            """
            INSERT INTO contact_messages (name, email, message, idempotency_key) VALUES (@name, @email, @message, @idempotencyKey)
            ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
            SELECT id AS Id, name AS Name, email AS Email, message AS Message, created_at AS CreatedAt, handled AS Handled
            FROM contact_messages WHERE id = LAST_INSERT_ID();
            """,
            new { name, email, message, idempotencyKey }, cancellationToken: cancellationToken)), cancellationToken);
}
