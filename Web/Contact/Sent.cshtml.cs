using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Contact;

public sealed class SentModel(SentReceipt receipt) : PageModel
{
    public IActionResult OnGet([FromQuery(Name = SentReceipt.QueryName)] string? value) =>
        receipt.IsValid(value) ? Page() : Redirect("/contact");
}
