using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Data;

namespace Site.Web.Common;

/// <summary>What every form for visitors' text posts, whatever else it asks for.</summary>
public class VisitorForm
{
    public string? Name { get; set; }

    public string? Message { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>The <see cref="Honeypot"/>.</summary>
    public string? Website { get; set; }
}

/// <summary>
/// The one flow of a form that stores a visitor's text once (the guestbook, the contact form): the text kept as the
/// server keeps it, the form's token, the honeypot, the fields' checks, then the insert under the form's idempotency
/// key. Whatever goes wrong, the form comes back with what was typed, the reason, and the key to send it with again.
/// Such a page carries [IgnoreAntiforgeryToken]: the token is checked here, so that a lost one redisplays the text.
/// </summary>
public abstract class VisitorFormPage<TForm>(ILogger logger) : PageModel
    where TForm : VisitorForm, new()
{
    /// <summary>Stores the checked fields under the key; where to send the visitor, or null when the key already stored something else.</summary>
    protected delegate Task<string?> Store(string idempotencyKey, CancellationToken cancellationToken);

    [BindProperty]
    public TForm Form { get; set; } = new();

    /// <summary>The form's name in the honeypot's log line.</summary>
    protected abstract string FormName { get; }

    /// <summary>Where a filled honeypot is sent, as if the post had worked.</summary>
    protected abstract string HoneypotTarget { get; }

    /// <summary>Said when the key already stored something else, which is kept; the text shown was not.</summary>
    protected abstract string KeyReusedMessage { get; }

    /// <summary>Said when the database isn't answering.</summary>
    protected abstract string UnavailableMessage { get; }

    /// <summary>Checks the fields into the validator, and says how to store them once they pass.</summary>
    protected abstract Store Validate(InputValidator validator);

    /// <summary>What the page shows beside its form, loaded again when the form is redisplayed.</summary>
    protected virtual Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // The textarea shows the posted value from ModelState, where a "\r" would be written as "&#xD;"; the key goes
        // back into the form as it is stored, so fixing a mistake and sending again still stores the text once.
        Form.Message = InputValidator.Normalize(Form.Message, multiline: true);
        ModelState.SetModelValue($"{nameof(Form)}.{nameof(VisitorForm.Message)}", Form.Message, Form.Message);
        Form.IdempotencyKey = IdempotencyKey.Normalize(Form.IdempotencyKey) ?? IdempotencyKey.New();
        if (!await this.FormTokenIsValidAsync())
        {
            return await RedisplayAsync(cancellationToken);
        }

        if (Honeypot.Caught(Form.Website, logger, FormName))
        {
            return Redirect(HoneypotTarget);
        }

        var validator = new InputValidator();
        var store = Validate(validator);
        foreach (var (field, messages) in validator.Errors)
        {
            ModelState.AddModelError($"{nameof(Form)}.{field}", messages[0]);
        }

        if (!validator.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await RedisplayAsync(cancellationToken);
        }

        try
        {
            if (await store(Form.IdempotencyKey, cancellationToken) is { } target)
            {
                return Redirect(target);
            }
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            this.AnswerDatabaseUnavailable(UnavailableMessage);
            return Page();
        }

        // Answered 422 with a new key (otherwise the form shows the posted one again, from the model state), so sending
        // the text again stores it on its own.
        ModelState.AddModelError(string.Empty, KeyReusedMessage);
        ModelState.Remove($"{nameof(Form)}.{nameof(VisitorForm.IdempotencyKey)}");
        Form.IdempotencyKey = IdempotencyKey.New();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await RedisplayAsync(cancellationToken);
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }
}
