namespace Site.Web.Notifications;

public static class NotificationsExtensions
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OwnerMail>();
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddHostedService<OutboxSender>();
        return builder;
    }
}
