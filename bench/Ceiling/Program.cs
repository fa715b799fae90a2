using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using MySqlConnector;

// The benchmark's yardstick: the guestbook's first screen (the 20 newest visible entries and the link to older
// ones) with nothing but Kestrel, one raw MySqlConnector query and a hand-built HTML string. No middleware, no
// logging, no antiforgery, no Razor: what the real page costs above this is what the framework and the site add.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration["ConnectionString"]
    ?? throw new InvalidOperationException("Set ConnectionString to the benchmark database.");
await using var dataSource = new MySqlDataSource(connectionString);

var app = builder.Build();
app.MapGet("/guestbook", async context =>
{
    await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
    await using var command = new MySqlCommand(
        "SELECT id, name, message, created_at FROM guestbook_entries WHERE hidden = 0 ORDER BY id DESC LIMIT 21", connection);
    await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);

    var html = new StringBuilder(16 * 1024);
    html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Guestbook</title></head><body><main><h1>Guestbook</h1><ol>");
    var count = 0;
    long oldest = 0;
    while (await reader.ReadAsync(context.RequestAborted) && ++count <= 20)
    {
        oldest = reader.GetInt64(0);
        var created = reader.GetDateTime(3);
        html.Append(CultureInfo.InvariantCulture, $"<li id=\"entry-{oldest}\"><p><strong>")
            .Append(HtmlEncoder.Default.Encode(reader.GetString(1)))
            .Append(CultureInfo.InvariantCulture, $"</strong> <time datetime=\"{created:yyyy-MM-ddTHH:mm:ssZ}\">{created:d MMM yyyy, HH:mm} UTC</time></p><p>")
            .Append(HtmlEncoder.Default.Encode(reader.GetString(2)))
            .Append("</p></li>");
    }

    html.Append("</ol>");
    if (count > 20)
    {
        html.Append(CultureInfo.InvariantCulture, $"<a href=\"/guestbook?before={oldest}\">Older entries</a>");
    }

    html.Append("</main></body></html>");
    context.Response.ContentType = "text/html; charset=utf-8";
    await context.Response.WriteAsync(html.ToString(), context.RequestAborted);
});
await app.RunAsync();
