namespace Site.Web.Contact;

public static class ContactExtensions
{
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ContactStore>();
        builder.Services.AddSingleton<SentReceipt>();
        return builder;
    }
}
