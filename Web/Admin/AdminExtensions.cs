using Microsoft.Extensions.DependencyInjection.Extensions;
using Site.Web.Owner;

namespace Site.Web.Admin;

public static class AdminExtensions
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AdminSignIn>();
        builder.Services.AddSingleton<AdminDevices>();
        builder.Services.AddSingleton<AdminStore>();
        builder.Services.AddSingleton<SiteSettings>();
        builder.Services.AddOptions<MessageRetentionOptions>().BindConfiguration(MessageRetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MessageRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MessageRetention>());
        builder.Services.AddAdminAuthentication();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJson.Default));
        return builder;
    }

    /// <summary>Keeps the owner's pages and API out of caches and search engines.</summary>
    public static IApplicationBuilder UseAdminHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/admin") || context.Request.Path.StartsWithSegments("/api/admin"))
        {
            // Set as the response starts, so redirects and error pages of admin URLs carry it too.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints) => endpoints.MapAdminApi().MapMessageExport();
}
