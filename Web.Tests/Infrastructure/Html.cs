using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Site.Web.Tests.Infrastructure;

public static class Html
{
    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(request => request.Content(html).Address(response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/"));
    }

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ParseAsync(response);
    }

    /// <summary>Posts a page's form back with its hidden fields (antiforgery token, idempotency key) and the given values.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string formSelector, IReadOnlyDictionary<string, string> values)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form {formSelector}.");
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(input => input.Type == "hidden")
            .ToDictionary(input => input.Name!, input => input.Value);
        foreach (var (key, value) in values)
        {
            fields[key] = value;
        }

        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(form.GetAttribute("action") ?? "/", UriKind.Relative), content);
    }
}
