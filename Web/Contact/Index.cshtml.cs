using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Site.Web.Common;
using Site.Web.Hosting;

namespace Site.Web.Contact;

// The token is checked in OnPostAsync, which redisplays the form with the visitor's text when it was lost.
[EnableRateLimiting(RateLimits.Writes)]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(ContactStore store, SentReceipt receipt, ILogger<IndexModel> logger) : VisitorFormPage<IndexModel.FormInput>(logger)
{
    public const int MessageMaxLength = 4000;

    public const string KeyReused =
        "This form already sent a different message, which we have; the text below was not sent. Send it again to send it as a message of its own.";

    public sealed class FormInput : VisitorForm
    {
        public string? Email { get; set; }
    }

    protected override string FormName => "contact";

    protected override string HoneypotTarget => receipt.SentPath();

    protected override string KeyReusedMessage => KeyReused;

    protected override string UnavailableMessage =>
        "We couldn't send your message because the database isn't answering. Your text is still here; please try again in a few seconds.";

    public void OnGet() => Form.IdempotencyKey = IdempotencyKey.New();

    protected override Store Validate(InputValidator validator)
    {
        var name = validator.Name("Name", Form.Name);
        var email = validator.Email("Email", Form.Email);
        var message = validator.Text("Message", "a message", Form.Message, MessageMaxLength, multiline: true);
        return async (idempotencyKey, cancellationToken) =>
            (await store.AddAsync(name, email, message, idempotencyKey, cancellationToken)).Holds(name, email, message) ? receipt.SentPath() : null;
    }
}
