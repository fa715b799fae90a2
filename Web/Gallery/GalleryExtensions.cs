namespace Site.Web.Gallery;

public static class GalleryExtensions
{
    public static WebApplicationBuilder AddGallery(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GalleryStore>();
        builder.Services.AddSingleton<GalleryUploads>();
        builder.Services.AddHealthChecks().AddCheck<ImageLibraryHealthCheck>("images", tags: [Health.HealthExtensions.ReadyTag]);
        return builder;
    }
}
