using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Site.Web.Common;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Web.Contact;

// The token is checked in OnPostAsync, which redisplays the form with the visitor's text when it was lost.
[EnableRateLimiting(RateLimits.Writes)]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(ContactStore store, SentReceipt receipt, ILogger<IndexModel> logger) : PageModel
{
    public const int MessageMaxLength = 4000;

    public const string KeyReused =
        "This form already sent a different message, which we have; the text below was not sent. Send it again to send it as a message of its own.";

    public sealed class FormInput
    {
        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Message { get; set; }

        public string? IdempotencyKey { get; set; }

        public string? Website { get; set; }
    }

    [BindProperty]
    public FormInput Form { get; set; } = new();

    public void OnGet() => Form.IdempotencyKey = Common.IdempotencyKey.New();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Form.Message = this.Multiline($"{nameof(Form)}.{nameof(FormInput.Message)}", Form.Message);
        Form.IdempotencyKey = Common.IdempotencyKey.Normalize(Form.IdempotencyKey) ?? Common.IdempotencyKey.New();
        if (!await this.FormTokenIsValidAsync())
        {
            return Page();
        }

        if (Honeypot.Caught(Form.Website, logger, "contact"))
        {
            return Redirect(receipt.SentPath());
        }

        var validator = new InputValidator();
        var name = validator.Name("Name", Form.Name);
        var email = validator.Email("Email", Form.Email);
        var message = validator.Text("Message", "a message", Form.Message, MessageMaxLength, multiline: true);
        foreach (var (field, messages) in validator.Errors)
        {
            ModelState.AddModelError($"{nameof(Form)}.{field}", messages[0]);
        }

        if (!validator.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            if ((await store.AddAsync(name, email, message, Form.IdempotencyKey, cancellationToken)).Holds(name, email, message))
            {
                return Redirect(receipt.SentPath());
            }

            Form.IdempotencyKey = this.AnswerIdempotencyKeyReused(KeyReused, $"{nameof(Form)}.{nameof(FormInput.IdempotencyKey)}");
            return Page();
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            this.AnswerDatabaseUnavailable("We couldn't send your message because the database isn't answering. Your text is still here; please try again in a few seconds.");
            return Page();
        }
    }
}
