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

    public sealed record EntryDto(long Id, string Name, string Message, DateTime CreatedAt, bool Hidden);

    public sealed record PageDto<T>(int Page, int PageSize, IReadOnlyList<T> Items, string? Next);

    public sealed record TokenDto(string HeaderName, string Token);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AdminAuth.Policy).AddEndpointFilter(RequireAntiforgery);
        api.MapGet("/antiforgery", Token);
        api.MapGet("/messages", async (int? page, AdminStore store, CancellationToken cancellationToken) =>
            await PageAsync("/api/admin/messages", page, p => store.MessagesAsync(p, cancellationToken),
                m => new MessageDto(m.Id, m.Name, m.Email, m.Message, Utc(m.CreatedAt), m.Handled)));
        api.MapGet("/guestbook", async (int? page, AdminStore store, CancellationToken cancellationToken) =>
            await PageAsync("/api/admin/guestbook", page, p => store.GuestbookAsync(p, cancellationToken),
                e => new EntryDto(e.Id, e.Name, e.Message, Utc(e.CreatedAt), e.Hidden)));
        api.MapPost("/messages/{id:long}/handled", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            Found(store.SetHandledAsync(id, true, user.Identity!.Name!, cancellationToken)));
        api.MapPost("/messages/{id:long}/unhandled", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            Found(store.SetHandledAsync(id, false, user.Identity!.Name!, cancellationToken)));
        api.MapPost("/guestbook/{id:long}/hide", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            Found(store.SetHiddenAsync(id, true, user.Identity!.Name!, cancellationToken)));
        api.MapPost("/guestbook/{id:long}/restore", (long id, ClaimsPrincipal user, AdminStore store, CancellationToken cancellationToken) =>
            Found(store.SetHiddenAsync(id, false, user.Identity!.Name!, cancellationToken)));
        return endpoints;
    }

    private static Ok<TokenDto> Token(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new TokenDto(tokens.HeaderName!, tokens.RequestToken!));
    }

    private static async Task<Results<Ok<PageDto<TDto>>, ValidationProblem>> PageAsync<TRow, TDto>(
        string path, int? page, Func<int, Task<AdminPage<TRow>>> load, Func<TRow, TDto> map)
    {
        if (page is < 1 or > AdminStore.MaxPage)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["page"] = [$"page must be a whole number from 1 to {AdminStore.MaxPage}."] });
        }

        var rows = await load(page ?? 1);
        return TypedResults.Ok(new PageDto<TDto>(
            rows.Number, AdminStore.PageSize, rows.Items.Select(map).ToList(), rows.HasMore ? $"{path}?page={rows.Number + 1}" : null));
    }

    private static async Task<Results<NoContent, NotFound>> Found(Task<bool> change) =>
        await change ? TypedResults.NoContent() : TypedResults.NotFound();

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
