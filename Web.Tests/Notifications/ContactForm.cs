using AngleSharp.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

/// <summary>The contact form, filled in and sent as a visitor would.</summary>
public static class ContactForm
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string message, IDocument? page = null, string name = "Ada", string email = "ada@example.org")
    {
        page ??= await client.GetDocumentAsync("/contact");
        return await client.SubmitAsync(page, "main form", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Email"] = email,
            ["Form.Message"] = message,
        });
    }
}
