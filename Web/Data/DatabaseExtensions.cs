using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Site.Web.Data;

public static partial class DatabaseExtensions
{
    // An auth token is valid for 15 minutes; a new one every 5 leaves any connection opened with it ample margin.
    public static readonly TimeSpan TokenRefreshInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan TokenRetryInterval = TimeSpan.FromSeconds(2);

    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .PostConfigure(options => options.Region ??= builder.Configuration["AWS_REGION"])
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var connection = options.ToConnectionStringBuilder();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseExtensions));
            LogConnectionSettings(logger, connection.Server, connection.Port, connection.Database, connection.UserID, options.Auth,
                connection.SslMode, connection.SslCa);

            var dataSource = new MySqlDataSourceBuilder(connection.ConnectionString).UseName("site");
            if (options.Auth == DatabaseAuth.Iam)
            {
                var passwords = services.GetRequiredService<IDatabasePasswordProvider>();
                dataSource.UsePeriodicPasswordProvider((_, cancellationToken) => passwords.GetPasswordAsync(cancellationToken),
                    TokenRefreshInterval, TokenRetryInterval);
            }

            return dataSource.Build();
        });
        builder.Services.AddOptions<ReadCacheOptions>().BindConfiguration(ReadCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddSingleton<Db>();
        builder.Services.AddSingleton<DatabaseOutage>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IDatabasePasswordProvider, RdsAuthTokenProvider>();
        builder.Services.AddSingleton(IamUserIdentification.Rds);
        builder.Services.AddSingleton<IamUserProvisioner>();
        builder.Services.AddSingleton<DatabaseStatus>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "DatabaseConnectionSettings",
        Message = "Database {DatabaseHost}:{DatabasePort}/{DatabaseName} as {DatabaseUser}: authentication {DatabaseAuth}, TLS {DatabaseSslMode}, CA file {DatabaseSslCa}")]
    private static partial void LogConnectionSettings(ILogger logger, string databaseHost, uint databasePort, string databaseName,
        string databaseUser, DatabaseAuth databaseAuth, MySqlSslMode databaseSslMode, string databaseSslCa);
}
