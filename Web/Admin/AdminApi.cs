using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Site.Web.Contact;

namespace Site.Web.Admin;

/// <summary>
/// The owner's JSON API: the same session cookie as the admin pages, and for every change the antiforgery
/// token in a header (fetched from GET /api/admin/antiforgery), so another site can't make the browser act.
/// </summary>
public static class AdminApi
{
    public sealed record MessageDto(long Id, string Name, string Email, string Message, DateTime CreatedAt, bool Handled);

    /// <param name="Status">waiting, published or hidden.</param>
    public sealed record EntryDto(long Id, string Name, string Message, DateTime CreatedAt, bool Hidden, string Status);

    /// <param name="Total">How many match the search and state in all.</param>
    public sealed record PageDto<T>(int Page, int PageSize, long Total, int Pages, IReadOnlyList<T> Items, string? Next);

    public sealed record TokenDto(string HeaderName, string Token);

    /// <param name="Action">One of the list's changes: publish, hide, restore, delete; handled, unhandled, delete.</param>
    public sealed record BulkDto(string? Action, IReadOnlyList<long>? Ids);

    /// <param name="Changed">The ids of the rows changed; ids of rows that aren't there are left out.</param>
    public sealed record BulkResultDto(IReadOnlyList<long> Changed);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AdminAuth.Policy).AddEndpointFilter(RequireAntiforgery);
        api.MapGet("/antiforgery", Token);
        api.MapGet("/messages", async (int? page, string? q, string? state, AdminStore store, CancellationToken cancellationToken) =>
            await PageAsync("/api/admin/messages", AdminStore.Messages, page, q, state, (s, p) => store.MessagesAsync(s, p, cancellationToken),
                m => new MessageDto(m.Id, m.Name, m.Email, m.Message, Utc(m.CreatedAt), m.Handled)));
        api.MapGet("/guestbook", async (int? page, string? q, string? state, AdminStore store, CancellationToken cancellationToken) =>
            await PageAsync("/api/admin/guestbook", AdminStore.Guestbook, page, q, state, (s, p) => store.GuestbookAsync(s, p, cancellationToken),
                e => new EntryDto(e.Id, e.Name, e.Message, Utc(e.CreatedAt), e.Hidden, e.State.ToString().ToLowerInvariant())));
        MapChange(api, "/messages/{id:long}/handled", AdminStore.Messages, "handled");
        MapChange(api, "/messages/{id:long}/unhandled", AdminStore.Messages, "unhandled");
        MapChange(api, "/guestbook/{id:long}/publish", AdminStore.Guestbook, "publish");
        MapChange(api, "/guestbook/{id:long}/hide", AdminStore.Guestbook, "hide");
        MapChange(api, "/guestbook/{id:long}/restore", AdminStore.Guestbook, "restore");
        MapBulk(api, "/messages/bulk", AdminStore.Messages);
        MapBulk(api, "/guestbook/bulk", AdminStore.Guestbook);
        api.MapDelete("/messages/{id:long}", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            ChangeAsync(store, AdminStore.Messages, "delete", id, user, cancellationToken));
        api.MapDelete("/guestbook/{id:long}", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            ChangeAsync(store, AdminStore.Guestbook, "delete", id, user, cancellationToken));
        return endpoints;
    }

    private static void MapChange(RouteGroupBuilder api, string pattern, AdminStore.ModerationList list, string change) =>
        api.MapPost(pattern, (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            ChangeAsync(store, list, change, id, user, cancellationToken));

    private static void MapBulk(RouteGroupBuilder api, string pattern, AdminStore.ModerationList list) =>
        api.MapPost(pattern, async Task<Results<Ok<BulkResultDto>, ValidationProblem>> (BulkDto body, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (body.Action is null || !list.Changes.ContainsKey(body.Action))
            {
                errors["action"] = [$"action must be one of {string.Join(", ", list.Changes.Keys)}."];
            }

            if (body.Ids is not { Count: > 0 and <= AdminStore.MaxBulk })
            {
                errors["ids"] = [$"ids must list from 1 to {AdminStore.MaxBulk} ids."];
            }

            return errors.Count > 0
                ? TypedResults.ValidationProblem(errors)
                : TypedResults.Ok(new BulkResultDto(await store.ChangeAsync(list, body.Action!, body.Ids!.Distinct().ToList(), user.Identity!.Name!, cancellationToken)));
        });

    private static async Task<Results<NoContent, NotFound>> ChangeAsync(
        AdminStore store, AdminStore.ModerationList list, string change, long id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await store.ChangeAsync(list, change, [id], user.Identity!.Name!, cancellationToken)).Count == 1 ? TypedResults.NoContent() : TypedResults.NotFound();

    private static Ok<TokenDto> Token(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new TokenDto(tokens.HeaderName!, tokens.RequestToken!));
    }

    private static async Task<Results<Ok<PageDto<TDto>>, ValidationProblem>> PageAsync<TRow, TDto>(
        string path, AdminStore.ModerationList list, int? page, string? q, string? state,
        Func<AdminSearch, int, Task<AdminResults<TRow>>> load, Func<TRow, TDto> map)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > AdminStore.MaxPage)
        {
            errors["page"] = [$"page must be a whole number from 1 to {AdminStore.MaxPage}."];
        }

        var search = AdminSearch.From(q, state);
        if (search.State is { } given && !list.States.ContainsKey(given))
        {
            errors["state"] = [$"state must be one of {string.Join(", ", list.States.Keys)}, or left out for all."];
        }

        if (q?.Trim().Length > AdminSearch.MaxTextLength)
        {
            errors["q"] = [$"q can be at most {AdminSearch.MaxTextLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await load(search, page ?? 1);
        return TypedResults.Ok(new PageDto<TDto>(
            rows.Number, AdminStore.PageSize, rows.Total, rows.Pages, rows.Items.Select(map).ToList(),
            rows.HasMore ? $"{path}?page={rows.Number + 1}{search.Query}" : null));
    }

    private static DateTime Utc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);

    private static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                detail: "Send the token from GET /api/admin/antiforgery in the header it names, with the session cookie.");
        }

        return await next(context);
    }
}
