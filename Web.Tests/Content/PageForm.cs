using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Content;

/// <summary>The owner's page editor driven as a browser would: every field sent as shown, with the owner's changes.</summary>
public static class PageForm
{
    public const string Selector = "#page-form";

    public static Dictionary<string, string> FieldsOf(IDocument page)
    {
        var form = page.QuerySelector<IHtmlFormElement>(Selector) ?? throw new InvalidOperationException("No page form.");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" } box:
                    if (box.IsChecked)
                    {
                        fields[box.Name!] = box.Value;
                    }

                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name && !fields.ContainsKey(name):
                    fields[name] = input.Value;
                    break;
                case IHtmlTextAreaElement area:
                    fields[area.Name!] = area.Value;
                    break;
            }
        }

        return fields;
    }

    /// <summary>Posts the form as its Save button (or the one named by <paramref name="button"/>) would.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient owner, IDocument page, IReadOnlyDictionary<string, string> changes, string button = "#save")
    {
        var fields = FieldsOf(page);
        foreach (var (key, value) in changes)
        {
            fields[key] = value;
        }

        var pressed = page.QuerySelector(button) ?? throw new InvalidOperationException($"No button {button}.");
        var action = pressed.GetAttribute("formaction") ?? page.QuerySelector(Selector)!.GetAttribute("action")!;
        using var content = new FormUrlEncodedContent(fields);
        return await owner.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>Writes a new page through the editor and returns its id.</summary>
    public static async Task<long> CreateAsync(HttpClient owner, string slug, string title, string body, bool published = true, bool inMenu = false, int order = 100)
    {
        var page = await owner.GetDocumentAsync("/admin/pages/edit");
        var changes = new Dictionary<string, string>
        {
            ["Form.Slug"] = slug,
            ["Form.Title"] = title,
            ["Form.Description"] = $"About {title}.",
            ["Form.Body"] = body,
            ["Form.MenuOrder"] = $"{order}",
        };
        if (published)
        {
            changes["Form.Published"] = "true";
        }

        if (inMenu)
        {
            changes["Form.InMenu"] = "true";
        }

        using var response = await SubmitAsync(owner, page, changes);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/pages/edit/[0-9]+\\?saved=1$", location);
        return long.Parse(location["/admin/pages/edit/".Length..location.IndexOf('?', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
