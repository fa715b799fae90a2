using System.Net;
using System.Text;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// Fixed JSON documents by path on a loopback port, 404 for any other path: a stand-in for an endpoint the code under
/// test reads (ECS task metadata, a NuGet feed). A plain listener rather than a second ASP.NET host: hosts built in a
/// test process are watched by WebApplicationFactory, and an extra one there can be mistaken for the site.
/// </summary>
public sealed class JsonDocumentServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly IReadOnlyDictionary<string, string> documents;

    /// <param name="documents">Given the server's root (http://127.0.0.1:PORT), the documents by absolute path.</param>
    public JsonDocumentServer(Func<string, IReadOnlyDictionary<string, string>> documents)
    {
        Root = $"http://127.0.0.1:{LocalMachine.FreePort()}";
        this.documents = documents(Root);
        listener.Prefixes.Add($"{Root}/");
        listener.Start();
        _ = ServeAsync();
    }

    public string Root { get; }

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var found = documents.TryGetValue(context.Request.Url?.AbsolutePath ?? "", out var body);
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body ?? ""));
            context.Response.Close();
        }
    }
}
