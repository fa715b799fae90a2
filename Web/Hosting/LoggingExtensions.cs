using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Site.Web.Hosting;

public static class LoggingExtensions
{
    // Lines that would repeat, as Errors, what another line says at the right level: the exception handler's repeats
    // the request's completion line (which carries the exception); the health check service's "Unhealthy" repeats each
    // readiness probe's completion line (a Warning), and would be an Error every few seconds per task while the
    // database is away (which is one outage line, or DatabaseNotReady warnings at start-up).
    private static readonly (string Source, string EventName)[] Duplicates =
    [
        ("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "UnhandledException"),
        ("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", "HealthCheckEnd"),
    ];

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        var version = builder.Configuration[SiteVariables.AppVersion] ?? "local";
        var environment = builder.Configuration[$"{SiteOptions.SectionName}:Environment"] ?? builder.Environment.EnvironmentName;

        // A malformed API body is refused by an exception the request's line can name, not silently.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<ILogEventEnricher, ExceptionFieldsEnricher>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ILogEventEnricher, RouteEnricher>();
        builder.Services.AddSerilog((services, logger) => LogLevels.Apply(logger, builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.WithProperty(LogFields.AppVersion, version)
            .Enrich.WithProperty(LogFields.Environment, environment)
            .Enrich.With(new EmbeddedMetricsEnricher(LogFields.MetricNamespace(environment)))
            .Filter.ByExcluding(IsDuplicate)
            .WriteTo.Sink(new StdoutSink(new LogLineFormatter())),
            // Each app instance keeps its own logger; the static one is shared by every host in the process.
            preserveStaticLogger: true);
        return builder;
    }

    private static bool IsDuplicate(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(LogFields.SourceContext, out var source) && source is ScalarValue { Value: string sourceName }
        && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
        && eventId.Properties.FirstOrDefault(p => p.Name == "Name")?.Value is ScalarValue { Value: string eventName }
        && Duplicates.Contains((sourceName, eventName));

    /// <summary>One line per request, written as it ends, that says what happened to it and, when it failed, why.</summary>
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
                var record = RequestRecord.Of(context);
                diagnostics.Set(LogFields.Route, record.Route ?? LogFields.NoRoute);
                if (context.Connection.RemoteIpAddress is { } clientIp)
                {
                    diagnostics.Set(LogFields.ClientIp, clientIp.ToString());
                }

                diagnostics.Set(LogFields.UserAgentFamily, UserAgentFamily.Of(context.Request.Headers.UserAgent.ToString()));
                if (AmazonTraceIdPropagator.ClientTraceId(context.Request.Headers[AmazonTraceIdPropagator.TraceparentHeader]) is { } clientTraceId
                    && clientTraceId != StatusText.TraceIdOf(context))
                {
                    diagnostics.Set(LogFields.ClientTraceId, clientTraceId);
                }

                if (record.DatabaseMs is { } databaseMs)
                {
                    diagnostics.Set(LogFields.DbElapsed, databaseMs);
                }

                if (FailureOf(context) is not { } failure)
                {
                    return;
                }

                // A fault of the app's own carries its stack; a refusal (the database away, a malformed request) its cause.
                if (StatusText.ForException(failure) == StatusCodes.Status500InternalServerError)
                {
                    diagnostics.SetException(failure);
                    return;
                }

                foreach (var (name, value) in ExceptionFieldsEnricher.Fields(failure))
                {
                    diagnostics.Set(name, value);
                }
            };
        });
    }

    /// <summary>
    /// Right after routing: keeps the endpoint chosen for the request itself, before an error page is re-executed and
    /// routed in its place; <see cref="RouteEnricher"/> names it on every line logged while the request runs.
    /// </summary>
    public static IApplicationBuilder UseRouteLogging(this IApplicationBuilder app)
    {
        var endpoints = app.ApplicationServices.GetRequiredService<EndpointDataSource>();
        return app.Use((context, next) =>
        {
            RequestRecord.Of(context).Routed(context, endpoints);
            return next(context);
        });
    }

    /// <summary>The first failure recorded for the request, or the exception the error handler caught.</summary>
    private static Exception? FailureOf(HttpContext context) =>
        RequestRecord.Of(context).Failure ?? context.Features.Get<IExceptionHandlerFeature>()?.Error;

    /// <summary>
    /// Error means the site failed: an unhandled exception or a 5xx of its own. A 503 while the database is away is a
    /// Warning (the outage is one Error of its own, <c>DatabaseOutage</c>), as are a form whose security
    /// token was lost (the visitor did nothing wrong) and a slow request.
    /// </summary>
    private static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? exception, int slowRequestMs)
    {
        var status = context.Response.StatusCode;
        if (exception is not null || (status >= 500 && status != StatusCodes.Status503ServiceUnavailable))
        {
            return LogEventLevel.Error;
        }

        if (status == StatusCodes.Status503ServiceUnavailable || FailureOf(context) is AntiforgeryValidationException || elapsedMs > slowRequestMs)
        {
            return LogEventLevel.Warning;
        }

        // The load balancer probes every task every few seconds; successful probes would drown the log group.
        return context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug : LogEventLevel.Information;
    }
}
