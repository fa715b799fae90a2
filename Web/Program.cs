using Site.Web;
using Site.Web.Admin;
using Site.Web.Contact;
using Site.Web.Content;
using Site.Web.Data;
using Site.Web.Gallery;
using Site.Web.Guestbook;
using Site.Web.Health;
using Site.Web.Hosting;
using Site.Web.Media;
using Site.Web.Notifications;
using Site.Web.Security;

if (args is ["hash-password", ..]) return AdminPassword.PrintHash();

// The container health check runs the app itself in probe mode: the runtime image has no shell or curl.
if (HealthProbe.IsRequested(args)) return await HealthProbe.RunAsync(args);

// The task's init container: creates the IAM database user with the master password, then exits.
if (DatabaseProvisioning.IsRequested(args)) return await DatabaseProvisioning.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.AddSiteWeb();
builder.AddRateLimits();
builder.AddDatabase();
builder.AddHealth();
builder.AddMedia();
builder.AddGallery();
builder.AddSharedDataProtection();
builder.AddAdmin();
builder.AddGuestbook();
builder.AddContact();
builder.AddContent();
builder.AddNotifications();
builder.Services.AddHostedService<StartupLog>();
builder.ReadKeyRingAfterMigrations();

var app = builder.Build();

// Every request passes through these, in this order.
app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseTraceIdHeader();
app.UseRequestLogging();
app.UseErrorPages();
// Routing after the error handlers, so a re-executed error page is routed afresh; the request's own route is kept for
// its log line first, and a refusal of its body is logged under it.
app.UseRouting();
app.UseRouteLogging();
app.UseRequestBodyLimit();
app.UseRateLimiter();
app.UseAdminHeaders();
// After routing: authentication needs the routed endpoint.
app.UseAuthentication();
app.UseAuthorization();

app.MapStaticAssets();
app.MapAdmin();
app.MapHealth();
app.MapMedia();
app.MapGuestbook();
app.MapContent();
app.MapRobotsTxt();
app.MapRazorPages().WithStaticAssets();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
