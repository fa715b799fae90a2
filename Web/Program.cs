using Site.Web.Admin;
using Site.Web.Contact;
using Site.Web.Data;
using Site.Web.Guestbook;
using Site.Web.Health;
using Site.Web.Hosting;
using Site.Web.Media;
using Site.Web.Security;

if (args is ["hash-password", ..]) return AdminPassword.PrintHash();

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.AddSiteWeb();
builder.AddDatabase();
builder.AddHealth();
builder.AddMedia();
builder.AddSharedDataProtection();
builder.AddAdmin();
builder.Services.AddSingleton<GuestbookStore>();
builder.Services.AddSingleton<ContactStore>();

var app = builder.Build();

app.UseSiteWeb();
app.UseAdmin();
app.MapHealth();
app.MapMedia();
app.MapGuestbookApi();
app.MapRazorPages().WithStaticAssets();

app.Run();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
