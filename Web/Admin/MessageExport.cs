using System.Globalization;
using System.Security.Claims;
using System.Text;
using Site.Web.Contact;

namespace Site.Web.Admin;

/// <summary>
/// The contact messages of the owner's current search as a CSV file for a spreadsheet: RFC 4180, UTF-8 with a byte
/// order mark (without one Excel reads it as the machine's legacy code page), streamed row by row from the database.
/// </summary>
public static class MessageExport
{
    public const string Path = "/admin/messages/export.csv";

    public static IEndpointRouteBuilder MapMessageExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization(AdminAuth.Policy);
        return endpoints;
    }

    /// <summary>
    /// One CSV field. A text starting with = + - @ or a tab or carriage return is what spreadsheets run as a formula
    /// (a visitor's message "=HYPERLINK(…)"), so it gets a leading apostrophe and stays text.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = $"'{value}";
        }

        return value.AsSpan().IndexOfAny("\",\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static async Task<IResult> ExportAsync(
        string? q, string? state, HttpContext context, ClaimsPrincipal user, AdminStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var search = AdminSearch.From(q, state);
        if (search.State is { } given && !AdminStore.Messages.States.ContainsKey(given))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown state",
                detail: $"state must be one of {string.Join(", ", AdminStore.Messages.States.Keys)}, or left out for all messages.");
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition =
            $"attachment; filename=\"messages-{clock.GetUtcNow():yyyy-MM-dd}.csv\"";
        await store.ExportMessagesAsync(search, user.Identity!.Name!, rows => WriteAsync(context.Response.Body, rows, cancellationToken), cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task WriteAsync(Stream body, IAsyncEnumerable<ContactMessage> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteAsync('\uFEFF');
        await writer.WriteLineAsync("id,received_utc,name,email,message,handled");
        await foreach (var m in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',',
                m.Id.ToString(CultureInfo.InvariantCulture),
                DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Field(m.Name), Field(m.Email), Field(m.Message), m.Handled ? "yes" : "no"));
        }
    }
}
