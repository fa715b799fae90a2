using Serilog;
using Serilog.Events;

namespace Site.Web.Hosting;

/// <summary>
/// The log levels from configuration, under the keys Serilog's own configuration reader uses
/// (<c>Serilog:MinimumLevel</c> or <c>Serilog:MinimumLevel:Default</c>, and <c>Serilog:MinimumLevel:Override:{source}</c>),
/// so an environment variable such as <c>Serilog__MinimumLevel__Default=Debug</c> changes them without a rebuild
/// (docs/troubleshooting.md). Read here rather than by that reader, which scans and loads every assembly of the app
/// for sinks and enrichers at start-up; the site configures those in code.
/// </summary>
public static class LogLevels
{
    public const string Section = "Serilog:MinimumLevel";

    public static LoggerConfiguration Apply(LoggerConfiguration logger, IConfiguration configuration)
    {
        logger.MinimumLevel.Is(Default(configuration));
        logger.MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning);
        foreach (var source in configuration.GetSection($"{Section}:Override").GetChildren())
        {
            if (Parse(source.Value, source.Path) is { } level)
            {
                logger.MinimumLevel.Override(source.Key, level);
            }
        }

        return logger;
    }

    public static LogEventLevel Default(IConfiguration configuration) =>
        Parse(configuration[Section], Section) ?? Parse(configuration[$"{Section}:Default"], $"{Section}:Default") ?? LogEventLevel.Information;

    private static LogEventLevel? Parse(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Enum.TryParse<LogEventLevel>(value.Trim(), ignoreCase: true, out var level) && Enum.IsDefined(level) ? level
        : throw new InvalidOperationException(
            $"{key} is '{value}': a log level is one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
}
