using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;
using Site.Web.Data;

namespace Site.Web.Health;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        // Liveness never touches the database: a database outage must not make ECS kill healthy tasks.
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson });
        return endpoints;
    }

    // Written by hand, not serialized: a new task's first readiness probe would otherwise wait while the serializer
    // builds a contract for the report by reflection.
    private static async Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>The load balancer probes every few seconds, so an outage's start and end are seen even when no visitor comes.</summary>
    private sealed class DatabaseHealthCheck(MySqlDataSource dataSource, DatabaseStatus status, DatabaseOutage outage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!status.Migrated)
            {
                return HealthCheckResult.Unhealthy("Migrations have not been applied yet.");
            }

            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
                outage.Reachable();
                return HealthCheckResult.Healthy("Database reachable and migrated.");
            }
            // A busy task is still a working one: reported unhealthy, the load balancer would take it out of service and
            // ECS replace it in the middle of the spike that filled its pool. Degraded still answers 200.
            catch (Exception exception) when (DatabaseErrors.IsPoolExhausted(exception))
            {
                return HealthCheckResult.Degraded("Database reachable; every pooled connection is in use.");
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
            {
                outage.Unavailable(exception, refusedRequest: false);
                return HealthCheckResult.Unhealthy("Database unreachable.");
            }
        }
    }
}
