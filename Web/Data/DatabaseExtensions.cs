using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Site.Web.Data;

public static class DatabaseExtensions
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new MySqlDataSourceBuilder(options.ToConnectionStringBuilder().ConnectionString)
                .UseName("site")
                .Build();
        });
        builder.Services.AddSingleton<Db>();
        builder.Services.AddSingleton<DatabaseStatus>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }
}
