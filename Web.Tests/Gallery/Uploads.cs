using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

/// <summary>The upload form, posted as the owner's browser posts it.</summary>
public static class Uploads
{
    public sealed record Part(byte[] Content, string FileName, string ContentType);

    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient owner, Part file, string caption = "The harbour at dawn", string altText = "Fishing boats moored in a calm harbour.", Part? poster = null)
    {
        var page = await owner.GetDocumentAsync("/admin/gallery/upload");
        var token = page.QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(caption), "caption" },
            { new StringContent(altText), "altText" },
        };
        foreach (var (name, part) in (ReadOnlySpan<(string, Part?)>)[("file", file), ("poster", poster)])
        {
            if (part is not null)
            {
                var content = new ByteArrayContent(part.Content);
                content.Headers.ContentType = new MediaTypeHeaderValue(part.ContentType);
                form.Add(content, name, part.FileName);
            }
        }

        return await owner.PostAsync(new Uri("/admin/gallery/upload", UriKind.Relative), form);
    }

    /// <summary>The new item's id, from the redirect to its place in the owner's list.</summary>
    public static long IdOf(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/gallery#item-", location, StringComparison.Ordinal);
        return long.Parse(location["/admin/gallery#item-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
