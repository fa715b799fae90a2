using Microsoft.Extensions.Options;
using Site.Web.Hosting;

namespace Site.Web.Data;

/// <summary>
/// <c>dotnet Site.Web.dll provision-database</c>: the step that holds the master password, and ends. It creates (or
/// repairs) the database user the site signs in as with IAM tokens, then exits; the web container starts only once
/// it has succeeded (ECS dependsOn SUCCESS), and never receives the master password itself.
/// Exit code 0 when the user is in place, 1 when the settings are wrong or the database stays out of reach.
/// </summary>
public static partial class DatabaseProvisioning
{
    public const string Command = AppCommands.ProvisionDatabase;

    /// <summary>A new instance may still be settling; past this, ECS should see the task fail and say why.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    public static bool IsRequested(string[] args) => args is [Command, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args[1..]);
        builder.AddStructuredLogging();
        builder.AddDatabase();
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseProvisioning));
        try
        {
            var settings = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (settings.Auth != DatabaseAuth.Password || string.IsNullOrEmpty(settings.IamUser))
            {
                LogMisconfigured(logger);
                return 1;
            }

            var provisioner = app.Services.GetRequiredService<IamUserProvisioner>();
            using var deadline = new CancellationTokenSource(GiveUpAfter);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await provisioner.ProvisionAsync(deadline.Token);
                    return 0;
                }
                catch (Exception e) when (e is not OperationCanceledException && !deadline.IsCancellationRequested)
                {
                    var delay = DatabaseInitializer.Backoff(attempt);
                    LogRetrying(logger, e, attempt, (int)delay.TotalMilliseconds);
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        catch (Exception e)
        {
            LogFailed(logger, e, GiveUpAfter.TotalSeconds);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, EventName = "DatabaseProvisioningMisconfigured",
        Message = "provision-database needs the master user (Database__Auth=Password with Database__User and Database__Password) and Database__IamUser")]
    private static partial void LogMisconfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "DatabaseProvisioningRetrying", Message = "Database not reachable for provisioning (attempt {Attempt}); retrying in {RetryMs} ms")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int attempt, int retryMs);

    [LoggerMessage(Level = LogLevel.Error, EventName = "DatabaseProvisioningFailed", Message = "Database provisioning failed (gave up after at most {Seconds} s)")]
    private static partial void LogFailed(ILogger logger, Exception exception, double seconds);
}
