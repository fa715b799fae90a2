using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Site.Web.Media;

public static class MediaExtensions
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static WebApplicationBuilder AddMedia(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IMediaStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<MediaOptions>>().Value;
            var root = System.IO.Path.Combine(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath, options.Path);
            return options.Provider switch
            {
                MediaProvider.S3 => ActivatorUtilities.CreateInstance<S3MediaStore>(services),
                _ => new DiskMediaStore(root),
            };
        });
        builder.Services.AddSingleton(services => MediaCatalog.Load(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        return builder;
    }

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/media/{**path}", [HttpMethods.Get, HttpMethods.Head], Serve);
        return endpoints;
    }

    private static async Task<IResult> Serve(string path, IMediaStore store, IOptions<MediaOptions> options, HttpContext context)
    {
        if (!IsSafe(path) || IsPrivate(path) || !ContentTypes.TryGetContentType(path, out var contentType) || !IsMedia(contentType))
        {
            return TypedResults.NotFound();
        }

        var file = await store.FindAsync(path, context.RequestAborted);
        if (file is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = $"public, max-age={options.Value.CacheSeconds}";
        return TypedResults.Stream(file.OpenRead(), contentType, lastModified: file.LastModified,
            entityTag: EntityTagHeaderValue.Parse(file.ETag), enableRangeProcessing: true);
    }

    /// <summary>Full-size copies of the owner's uploads are kept, not published.</summary>
    private static bool IsPrivate(string path) => path.StartsWith(MediaKeys.Originals, StringComparison.OrdinalIgnoreCase);

    private static bool IsMedia(string contentType) =>
        contentType.StartsWith("image/", StringComparison.Ordinal) || contentType.StartsWith("video/", StringComparison.Ordinal);

    private static bool IsSafe(string path) =>
        path.Length is > 0 and < 200
        && path.Split('/').All(segment => segment.Length > 0 && segment != ".." && segment != "." && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
}
