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

    public void OnGet(int? code) => Show(code);

    public void OnPost(int? code) => Show(code);

    private void Show(int? code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        if (!reExecuted)
        {
            Response.StatusCode = code is >= 400 and < 600 ? code.Value : StatusCodes.Status404NotFound;
        }

        Status = Response.StatusCode;
        Text = StatusText.For(Status);
        TraceId = Activity.Current?.TraceId.ToHexString() ?? HttpContext.TraceIdentifier;
        StatusText.AddRetryAfter(HttpContext, Status);
    }
}
