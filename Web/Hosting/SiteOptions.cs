using System.ComponentModel.DataAnnotations;

namespace Site.Web.Hosting;

public sealed class SiteOptions
{
    public const string SectionName = SiteVariables.Section;

    /// <summary>The deployment environment shown in every log line (dev, prod); defaults to the host environment.</summary>
    public string? Environment { get; set; }

    /// <summary>Requests slower than this are logged as warnings.</summary>
    [Range(1, 600_000)]
    public int SlowRequestMs { get; set; } = 1000;

    /// <summary>Largest request body accepted, in bytes; larger ones get 413.</summary>
    [Range(1024, 10_000_000)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
