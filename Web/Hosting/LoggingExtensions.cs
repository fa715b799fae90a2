using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Templates;

namespace Site.Web.Hosting;

public static class LoggingExtensions
{
    // These field names are what the CloudWatch saved queries and metric filters select on
    // (docs/troubleshooting.md); changing one breaks the on-call queries.
    public const string JsonTemplate =
        "{ {time: UtcDateTime(@t), level: @l, template: @mt, message: @m, traceId: @tr, spanId: @sp, exception: @x, ..@p} }\n";

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var version = builder.Configuration["APP_VERSION"] ?? "local";
        var environment = builder.Configuration[$"{SiteOptions.SectionName}:Environment"] ?? builder.Environment.EnvironmentName;

        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<EcsTaskEnricher>();
        builder.Services.AddSingleton<ILogEventEnricher>(services => services.GetRequiredService<EcsTaskEnricher>());
        builder.Services.AddHostedService<EcsTaskMetadataReader>();
        builder.Services.AddHostedService<StartupLog>();
        builder.Services.AddSingleton<ILogEventEnricher, ExceptionFieldsEnricher>();
        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.WithProperty(LogFields.AppVersion, version)
            .Enrich.WithProperty(LogFields.Environment, environment)
            .WriteTo.Console(new ExpressionTemplate(JsonTemplate)),
            // Each app instance keeps its own logger; the static one is shared by every host in the process.
            preserveStaticLogger: true);
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var site = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiteOptions>>().Value;
        var logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = LogFields.RequestCompletedTemplate;
            options.GetLevel = (context, elapsed, exception) => RequestLevel(context, elapsed, exception, site.SlowRequestMs);
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set(LogFields.Route, context.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : "(none)");
                if (context.Connection.RemoteIpAddress is { } clientIp)
                {
                    diagnostics.Set(LogFields.ClientIp, clientIp.ToString());
                }

                diagnostics.Set(LogFields.UserAgentFamily, UserAgentFamily.Of(context.Request.Headers.UserAgent.ToString()));
            };
        });
    }

    private static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? exception, int slowRequestMs)
    {
        if (exception is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        if (elapsedMs > slowRequestMs)
        {
            return LogEventLevel.Warning;
        }

        // The load balancer probes every task every few seconds; successful probes would drown the log group.
        return context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug : LogEventLevel.Information;
    }
}
