using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Site.Web.Guestbook;

public static class GuestbookExtensions
{
    public static WebApplicationBuilder AddGuestbook(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GuestbookStore>();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, GuestbookJson.Default));
        return builder;
    }

    /// <summary>The JSON API; the page itself is a Razor Page.</summary>
    public static IEndpointRouteBuilder MapGuestbook(this IEndpointRouteBuilder endpoints)
    {
        GuestbookApi.Map(endpoints);
        return endpoints;
    }
}
