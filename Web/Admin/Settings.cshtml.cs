using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Owner;

namespace Site.Web.Admin;

public sealed class SettingsModel(SiteSettings settings) : PageModel
{
    public const string RetentionInvalid =
        "Enter the number of days as a whole number from 1 to 3650, or leave it empty to keep messages until you delete them.";

    public sealed class FormInput
    {
        /// <summary>"hold" or "publish".</summary>
        public string? Guestbook { get; set; }

        /// <summary>As typed: validated here so that the form comes back with it, not an empty field, when it is wrong.</summary>
        public string? RetentionDays { get; set; }

        public bool NotifyWaiting { get; set; }
    }

    [BindProperty]
    public FormInput Form { get; set; } = new();

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        var current = await settings.GetAsync(cancellationToken);
        Form = new FormInput
        {
            Guestbook = current.HoldGuestbookEntries ? "hold" : "publish",
            RetentionDays = current.MessageRetentionDays?.ToString(CultureInfo.InvariantCulture),
            NotifyWaiting = current.NotifyWaitingEntries,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Form.Guestbook is not ("hold" or "publish"))
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(FormInput.Guestbook)}", "Choose whether new guestbook entries are published at once or held for review.");
        }

        var days = Form.RetentionDays?.Trim() ?? "";
        int? retention = null;
        if (days.Length > 0 && days != "0")
        {
            if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= OwnerSettings.MaxRetentionDays)
            {
                retention = parsed;
            }
            else
            {
                ModelState.AddModelError($"{nameof(Form)}.{nameof(FormInput.RetentionDays)}", RetentionInvalid);
            }
        }

        if (ModelState.ErrorCount > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await settings.SaveAsync(new OwnerSettings(Form.Guestbook == "hold", retention, Form.NotifyWaiting), User.Identity!.Name!, cancellationToken);
        return Redirect("/admin/settings?saved=true");
    }
}
