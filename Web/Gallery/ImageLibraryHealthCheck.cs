using Microsoft.Extensions.Diagnostics.HealthChecks;
using SkiaSharp;

namespace Site.Web.Gallery;

/// <summary>
/// Ready only where SkiaSharp's native library loads. The runtime image has no shell and few system libraries, so a
/// packaging mistake would otherwise show only when the owner first uploads; failing readiness stops the deploy instead.
/// </summary>
public sealed class ImageLibraryHealthCheck : IHealthCheck
{
    private static readonly Lazy<string?> LoadFailure = new(() =>
    {
        try
        {
            using var bitmap = new SKBitmap(1, 1);
            using var encoded = bitmap.Encode(SKEncodedImageFormat.Webp, 80);
            return encoded is null ? "SkiaSharp could not encode WebP." : null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return $"SkiaSharp's native library did not load: {e.Message}";
        }
    });

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(LoadFailure.Value is { } failure ? HealthCheckResult.Unhealthy(failure) : HealthCheckResult.Healthy("Image library loaded."));
}
