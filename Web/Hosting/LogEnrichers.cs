using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Site.Web.Data;

namespace Site.Web.Hosting;

/// <summary>The exception's type and message as fields of their own, so queries can group by them without parsing stacks.</summary>
public sealed class ExceptionFieldsEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Exception is not { } exception)
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(LogFields.ExceptionType, exception.GetType().FullName));
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(LogFields.ExceptionMessage, exception.Message));
        if (exception.Data[Db.OperationKey] is string operation)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Db.OperationKey, operation));
        }
    }
}

/// <summary>
/// Adds the ECS task id to every event once it is known. Kept apart from the reader below: an enricher
/// that needed a logger would need itself.
/// </summary>
public sealed class EcsTaskEnricher : ILogEventEnricher
{
    private LogEventProperty? taskId;

    public string? TaskId { get; private set; }

    public void Set(string id)
    {
        TaskId = id;
        taskId = new LogEventProperty(LogFields.TaskId, new ScalarValue(id));
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (taskId is { } property)
        {
            logEvent.AddPropertyIfAbsent(property);
        }
    }
}

/// <summary>Reads the task id from the metadata endpoint ECS gives every container (ECS_CONTAINER_METADATA_URI_V4); absent elsewhere.</summary>
public sealed partial class EcsTaskMetadataReader(
    IConfiguration configuration, IHttpClientFactory httpClients, EcsTaskEnricher enricher, ILogger<EcsTaskMetadataReader> logger) : BackgroundService
{
    public const string MetadataVariable = "ECS_CONTAINER_METADATA_URI_V4";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration[MetadataVariable] is not { Length: > 0 } endpoint)
        {
            return;
        }

        try
        {
            using var client = httpClients.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(2);
            await using var body = await client.GetStreamAsync(new Uri($"{endpoint.TrimEnd('/')}/task"), stoppingToken);
            using var task = await JsonDocument.ParseAsync(body, cancellationToken: stoppingToken);
            var arn = task.RootElement.GetProperty("TaskARN").GetString() ?? "";
            enricher.Set(arn[(arn.LastIndexOf('/') + 1)..]);
            LogTask(logger, enricher.TaskId!, arn);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException)
        {
            LogNoTask(logger, exception, endpoint);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "EcsTask", Message = "Running as ECS task {TaskId} ({TaskArn})")]
    private static partial void LogTask(ILogger logger, string taskId, string taskArn);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "EcsTaskUnknown", Message = "Could not read the ECS task metadata from {MetadataEndpoint}")]
    private static partial void LogNoTask(ILogger logger, Exception exception, string metadataEndpoint);
}
