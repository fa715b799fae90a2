using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>What the owner and visitors do and see around moderation, as requests to the site.</summary>
public static class Moderation
{
    /// <summary>Whether the entry is on the public page, in the public list and readable on its own; all three must agree.</summary>
    public static async Task<bool> IsPublicAsync(HttpClient visitor, long id)
    {
        var page = await visitor.GetDocumentAsync("/guestbook");
        var listed = await visitor.GetFromJsonAsync<JsonElement>("/api/guestbook");
        using var single = await visitor.GetAsync(new Uri($"/api/guestbook/{id}", UriKind.Relative));

        var onPage = page.QuerySelector($"#entry-{id}") is not null;
        var inList = listed.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal(onPage, inList);
        Assert.Equal(onPage, single.StatusCode == HttpStatusCode.OK);
        return onPage;
    }

    /// <summary>Ticks the rows and presses the bulk form's button for <paramref name="change"/>, as the owner would.</summary>
    public static async Task<HttpResponseMessage> BulkAsync(HttpClient owner, IDocument page, string change, IEnumerable<long> ids, bool confirmed = false)
    {
        var form = page.QuerySelector<IHtmlFormElement>("#bulk-form") ?? throw new InvalidOperationException("No bulk form.");
        Assert.NotNull(form.QuerySelector($"button[name=change][value={change}]"));
        var fields = form.Elements.OfType<IHtmlInputElement>().Where(input => input.Type == "hidden")
            .Select(input => KeyValuePair.Create(input.Name!, input.Value))
            .Append(KeyValuePair.Create("change", change))
            .Concat(ids.Select(id => KeyValuePair.Create("ids", $"{id}")))
            .Concat(confirmed ? [KeyValuePair.Create("confirmed", "true")] : []);
        using var content = new FormUrlEncodedContent(fields);
        return await owner.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), content);
    }

    /// <summary>The ids of the rows a list page shows, in order; rows are "entry-{id}" or "message-{id}".</summary>
    public static IReadOnlyList<long> Shown(IDocument page) =>
        page.QuerySelectorAll("#entries .entry, #messages .entry")
            .Select(e => long.Parse(e.Id![(e.Id!.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Puts entries into the waiting state, as the hold setting stores them.</summary>
    public static async Task HoldAsync(SiteFactory site, IEnumerable<long> ids)
    {
        await using var connection = await site.OpenDatabaseAsync();
        await connection.ExecuteAsync("UPDATE guestbook_entries SET hidden = 1, held = 1 WHERE id IN @ids", new { ids });
    }

    /// <summary>The owner's recorded actions, newest first, as (actor, action, subject).</summary>
    public static async Task<IReadOnlyList<(string Actor, string Action, string Subject)>> ActionsAsync(SiteFactory site)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return (await connection.QueryAsync<(string, string, string)>("SELECT actor, action, subject FROM owner_actions ORDER BY id DESC")).ToList();
    }

    /// <summary>Saves /admin/settings as the owner would fill it in.</summary>
    public static async Task<HttpResponseMessage> SaveSettingsAsync(HttpClient owner, string guestbook = "publish", string retentionDays = "", bool notify = false)
    {
        var page = await owner.GetDocumentAsync("/admin/settings");
        var values = new Dictionary<string, string> { ["Form.Guestbook"] = guestbook, ["Form.RetentionDays"] = retentionDays };
        if (notify)
        {
            values["Form.NotifyWaiting"] = "true";
        }

        return await owner.SubmitAsync(page, "#settings-form", values);
    }
}
