using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Hosting;

namespace Site.Web.Errors;

[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public StatusText Text { get; private set; } = StatusText.For(500);

    /// <summary>The id that ties this page to the log lines of the failed request.</summary>
    public string TraceId { get; private set; } = "";

    public void OnGet() => Show();

    public void OnPost() => Show();

    /// <remarks>
    /// Only the status code pages and the exception handler show this page, re-executing it for the request that
    /// failed. Asked for directly (/error/500), it is a page that doesn't exist: answering with the status in the URL
    /// would let anyone raise the load balancer's 5xx count, and the alarm on it rolls deployments back.
    /// </remarks>
    private void Show()
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        if (!reExecuted)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        Status = Response.StatusCode;
        Text = StatusText.For(Status);
        TraceId = Activity.Current?.TraceId.ToHexString() ?? HttpContext.TraceIdentifier;
        StatusText.AddRetryAfter(HttpContext, Status);
    }
}
