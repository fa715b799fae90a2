using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Site.Web.Common;
using Site.Web.Hosting;

namespace Site.Web.Guestbook;

public static class GuestbookApi
{
    public sealed record EntryDto(long Id, string Name, string Message, DateTime CreatedAt)
    {
        public static EntryDto From(GuestbookEntry e) => new(e.Id, e.Name, e.Message, DateTime.SpecifyKind(e.CreatedAt, DateTimeKind.Utc));
    }

    public sealed record PageDto(int Page, int PageSize, IReadOnlyList<EntryDto> Entries, string? Next);

    public sealed record PostDto(string? Name, string? Message);

    public static WebApplicationBuilder AddGuestbook(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GuestbookStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGuestbookApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/guestbook").WithTags("Guestbook");
        api.MapGet("/", GetPage);
        api.MapGet("/{id:long}", GetEntry).WithName("GetGuestbookEntry");
        api.MapPost("/", Post).RequireRateLimiting(RateLimits.Writes);
        return endpoints;
    }

    private static async Task<Results<Ok<PageDto>, ValidationProblem>> GetPage(string? page, GuestbookStore store, CancellationToken cancellationToken)
    {
        var number = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1 || number > 1_000_000))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["page"] = ["page must be a whole number from 1 to 1000000."] });
        }

        var (entries, hasMore) = await store.NumberedPageAsync(number, cancellationToken);
        return TypedResults.Ok(new PageDto(
            number, GuestbookRules.PageSize, entries.Select(EntryDto.From).ToList(), hasMore ? $"/api/guestbook?page={number + 1}" : null));
    }

    private static async Task<Results<Ok<EntryDto>, NotFound>> GetEntry(long id, GuestbookStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } entry ? TypedResults.Ok(EntryDto.From(entry)) : TypedResults.NotFound();

    private static async Task<Results<Created<EntryDto>, ValidationProblem>> Post(
        PostDto body, [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, GuestbookStore store, CancellationToken cancellationToken)
    {
        var validator = new InputValidator();
        var (name, message) = GuestbookRules.Validate(validator, body.Name, body.Message);
        if (!validator.IsValid)
        {
            return TypedResults.ValidationProblem(
                validator.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value),
                detail: "Some fields need attention.");
        }

        var entry = await store.AddAsync(name, message, IdempotencyKey.Normalize(idempotencyKey), cancellationToken);
        return TypedResults.Created($"/api/guestbook/{entry.Id}", EntryDto.From(entry));
    }
}
