using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Options;
using Site.Web.Admin;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Media;
using Site.Web.Security;

namespace Site.Web;

/// <summary>
/// One line when the app starts listening, saying what it runs with (no secrets: only whether they are set),
/// and one when it begins to stop: the saved query for crash loops and bad deploys counts these. It reads every
/// feature's settings, so it belongs to the app as a whole, not to any one feature or to Hosting beneath them.
/// </summary>
public sealed partial class StartupLog(
    IHostApplicationLifetime lifetime,
    IOptions<DatabaseOptions> database,
    IOptions<MediaOptions> media,
    IOptions<AdminOptions> admin,
    IOptions<DataProtectionSettings> keys,
    IConfiguration configuration,
    ILogger<StartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var startupMs = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
            var connection = database.Value.ToConnectionStringBuilder();
            var logLevel = LogLevels.Default(configuration);
            // What the runtime took from the published settings (Web/Web.csproj), not what they say.
            var gcGen0MaxBudget = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget, CultureInfo.InvariantCulture) : 0;
            LogStarted(logger, startupMs, media.Value.Provider, media.Value.Bucket ?? "-", database.Value.Auth, connection.SslMode,
                admin.Value.Enabled, keys.Value.KeyEncryptionKey is not null, logLevel, GCSettings.IsServerGC, gcGen0MaxBudget);
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            var uptimeSeconds = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
            LogStopping(logger, uptimeSeconds);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, EventName = LogFields.Events.AppStarted,
        Message = "Started in {StartupMs} ms: media {MediaProvider} ({MediaBucket}), database auth {DatabaseAuth} with TLS {DatabaseSslMode}, admin enabled {AdminEnabled}, key encryption {KeyEncryption}, log level {LogLevel}, server GC {GcServer}, gen0 budget up to {GcGen0MaxBudget} bytes")]
    private static partial void LogStarted(ILogger logger, long startupMs, MediaProvider mediaProvider, string mediaBucket, DatabaseAuth databaseAuth,
        MySqlConnector.MySqlSslMode databaseSslMode, bool adminEnabled, bool keyEncryption, Serilog.Events.LogEventLevel logLevel, bool gcServer, long gcGen0MaxBudget);

    [LoggerMessage(Level = LogLevel.Information, EventName = LogFields.Events.AppStopping, Message = "Stopping after {UptimeSeconds} s")]
    private static partial void LogStopping(ILogger logger, long uptimeSeconds);
}
