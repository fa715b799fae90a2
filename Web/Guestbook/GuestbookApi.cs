using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Site.Web.Common;
using Site.Web.Hosting;

namespace Site.Web.Guestbook;

public static class GuestbookApi
{
    public sealed record EntryDto(long Id, string Name, string Message, DateTime CreatedAt)
    {
        public static EntryDto From(GuestbookEntry e) => new(e.Id, e.Name, e.Message, DateTime.SpecifyKind(e.CreatedAt, DateTimeKind.Utc));
    }

    /// <summary>
    /// One page, newest first. <c>next</c> and <c>previous</c> are cursor links (<c>?before=</c>, <c>?after=</c>): they cost
    /// the same at any depth and don't shift when entries are added. <c>page</c> is set when the page was asked for by number.
    /// </summary>
    public sealed record PageDto(int? Page, int PageSize, IReadOnlyList<EntryDto> Entries, string? Next, string? Previous);

    public sealed record PostDto(string? Name, string? Message);

    /// <summary>An entry that was stored but waits for the owner's review before anyone else can read it.</summary>
    public sealed record ReceivedDto(long Id, string Name, string Message, DateTime CreatedAt, string Status, string Detail);

    public const string WaitingDetail = "Thank you! Your entry was received. It will appear in the guestbook once it has been reviewed.";

    /// <summary>The deepest page a client may ask for by number (the newest 2,000 entries); cursors go further.</summary>
    public const int MaxNumberedPage = 100;

    public static WebApplicationBuilder AddGuestbook(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GuestbookOptions>().BindConfiguration(GuestbookOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
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

    private static async Task<Results<Ok<PageDto>, ValidationProblem>> GetPage(
        string? page, string? before, string? after, GuestbookStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var number = Parse(page, "page", MaxNumberedPage,
            $"page must be a whole number from 1 to {MaxNumberedPage}. To read further back, follow the next link, which continues from the last entry you have.",
            errors);
        var beforeId = Parse(before, "before", long.MaxValue, "before must be the id of an entry (a whole number from 1).", errors);
        var afterId = Parse(after, "after", long.MaxValue, "after must be the id of an entry (a whole number from 1).", errors);
        if (new[] { page, before, after }.Count(v => v is not null) > 1)
        {
            errors["page"] = ["Give one of page, before or after, not several."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The paging parameters need attention.");
        }

        var byCursor = beforeId is not null || afterId is not null;
        var pageNumber = (int)(number ?? 1);
        var found = byCursor
            ? await store.PageAsync(beforeId, afterId, cancellationToken)
            : await store.NumberedPageAsync(pageNumber, cancellationToken);
        return TypedResults.Ok(new PageDto(
            byCursor ? null : pageNumber,
            GuestbookRules.PageSize,
            found.Entries.Select(EntryDto.From).ToList(),
            found.OlderCursor is { } older ? $"/api/guestbook?before={older}" : null,
            found.NewerCursor is { } newer ? $"/api/guestbook?after={newer}" : null));
    }

    private static long? Parse(string? value, string name, long max, string message, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 && parsed <= max)
        {
            return parsed;
        }

        errors[name] = [message];
        return null;
    }

    private static async Task<Results<Ok<EntryDto>, NotFound>> GetEntry(long id, GuestbookStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } entry ? TypedResults.Ok(EntryDto.From(entry)) : TypedResults.NotFound();

    private static async Task<Results<Created<EntryDto>, Accepted<ReceivedDto>, ValidationProblem, ProblemHttpResult>> Post(
        PostDto body, [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, GuestbookStore store, CancellationToken cancellationToken)
    {
        if (IdempotencyKey.IsMalformed(idempotencyKey))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: IdempotencyKey.MalformedTitle, detail: IdempotencyKey.MalformedDetail);
        }

        var validator = new InputValidator();
        var (name, message) = GuestbookRules.Validate(validator, body.Name, body.Message);
        if (!validator.IsValid)
        {
            return TypedResults.ValidationProblem(
                validator.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value),
                detail: "Some fields need attention.");
        }

        var entry = await store.AddAsync(name, message, IdempotencyKey.Normalize(idempotencyKey), cancellationToken);
        if (!entry.Holds(name, message))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: IdempotencyKey.ReusedTitle, detail: IdempotencyKey.ReusedDetail);
        }

        // Not Created: there is nothing at /api/guestbook/{id} for anyone to read until the owner publishes it.
        var stored = EntryDto.From(entry);
        return entry.Hidden
            ? TypedResults.Accepted((string?)null, new ReceivedDto(stored.Id, stored.Name, stored.Message, stored.CreatedAt, "waiting", WaitingDetail))
            : TypedResults.Created($"/api/guestbook/{entry.Id}", stored);
    }
}
