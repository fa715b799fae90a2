using Dapper;
using Site.Web.Data;

namespace Site.Web.Contact;

public sealed record ContactMessage(long Id, string Name, string Email, string Message, DateTime CreatedAt, bool Handled);

public static class ContactExtensions
{
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ContactStore>();
        return builder;
    }
}

public sealed class ContactStore(Db db)
{
    /// <summary>Stores a message once per idempotency key.</summary>
    /// <returns>The id of the committed message.</returns>
    public Task<long> AddAsync(string name, string email, string message, string? idempotencyKey, CancellationToken cancellationToken) =>
        db.RunAsync("contact.add", connection => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO contact_messages (name, email, message, idempotency_key) VALUES (@name, @email, @message, @idempotencyKey)
            ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
            SELECT LAST_INSERT_ID();
            """,
            new { name, email, message, idempotencyKey }, cancellationToken: cancellationToken)), cancellationToken);
}
