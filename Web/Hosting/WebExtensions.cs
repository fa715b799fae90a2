using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Site.Web.Hosting;

public static class WebExtensions
{
    public const string TraceIdHeader = "X-Trace-Id";

    public static WebApplicationBuilder AddSiteWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Pages live beside the rest of their feature (Guestbook/, Contact/...), so the page root is the project root.
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/";

            // Pages without a form carry nothing per visitor (no antiforgery token, no cookie): browsers may keep them
            // a minute. Pages with a form are marked no-store by the antiforgery token itself.
            foreach (var page in (string[])["/Home/Index", "/Content/Page", "/Gallery/Index", "/Privacy/Index"])
            {
                options.Conventions.AddPageApplicationModelConvention(page, model => model.Filters.Add(new BrowserCacheFilter(60)));
            }

            options.Conventions.ConfigureFilter(new HandlerRequiredFilter());
        });
        // The site binds plain names (Form.Name), never jQuery's a[b] keys, and the jQuery value providers throw on a field
        // or query name with an unclosed bracket ("a[=1"), which would answer 500.
        builder.Services.Configure<MvcOptions>(options =>
        {
            options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        // ASP.NET Core never marks the antiforgery cookie Secure by default; here it is Secure exactly when the visitor's
        // scheme is HTTPS, so a plain-HTTP deployment (no domain) still gets one its browser keeps.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            // A failure on the site's side says which id to quote, in the detail the page's script shows the visitor.
            context.ProblemDetails.Detail ??= status >= 500
                ? $"{StatusText.For(status).Detail} {StatusText.QuoteId(context.HttpContext)}."
                : StatusText.For(status).Detail;
            context.ProblemDetails.Extensions["traceId"] = StatusText.TraceIdOf(context.HttpContext);
            StatusText.AddRetryAfter(context.HttpContext, status);
        });

        // A field sent twice is ambiguous (which one did the client mean?), so it is refused rather than guessed.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.AllowDuplicateProperties = false);
        builder.Services.AddSingleton<DistributedContextPropagator>(new AmazonTraceIdPropagator(DistributedContextPropagator.CreateDefaultPropagator()));
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Tasks are reachable only from the load balancer's security group, so the nearest hop is the
            // load balancer and the last X-Forwarded-For entry is the address it saw; with the edge on, the load
            // balancer admits CloudFront only, and the entry before is the visitor's. Nothing further left is trusted.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = builder.Configuration.GetValue(ProxyHops.Key, ProxyHops.LoadBalancer);
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>Names on every response the id that ties it to its log lines (<see cref="StatusText.TraceIdOf"/>).</summary>
    public static IApplicationBuilder UseTraceIdHeader(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set as the response starts: an error page re-executed for this request clears earlier headers.
        var traceId = Activity.Current?.TraceId.ToHexString();
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[TraceIdHeader] = traceId;
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>A failure or an error status answered as problem details under /api, as the site's error page elsewhere.</summary>
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app) => app
        .UseWhen(IsApi, api => api
            .UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusText.ForException })
            .UseStatusCodePages()
            .UseUtf8JsonBodies())
        .UseWhen(context => !IsApi(context), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", StatusCodeSelector = StatusText.ForException })
            .UseStatusCodePagesWithReExecute("/error/{0}"));

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>Refuses a body larger than <see cref="SiteOptions.MaxRequestBodyBytes"/> (413); after routing, which says which endpoint takes files.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var siteLimit = app.ApplicationServices.GetRequiredService<IOptions<SiteOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            // An endpoint that takes files ([RequestSizeLimit]) has its own limit.
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? siteLimit;
            // The error page re-executed for a 413 must not be refused again.
            if (context.Request.ContentLength > limit && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            // Chunked bodies have no length up front; the server stops reading them at the same limit.
            var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }

    // Razor Pages ignore [ResponseCache] added as a convention filter; a result filter sets the header as the page renders.
    /// <summary>
    /// A page renders itself for a GET; a method none of its handlers takes (a PUT, a POST to a page without a form)
    /// is answered 405, rather than the page rendered with nothing loaded, which may throw.
    /// </summary>
    private sealed class HandlerRequiredFilter : IPageFilter
    {
        public void OnPageHandlerSelected(PageHandlerSelectedContext context)
        {
        }

        public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        {
            var http = context.HttpContext;
            var method = http.Request.Method;
            // The error page, re-executed with the failed request's method, renders for any method.
            var errorPage = http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerPathFeature>() is not null;
            if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !errorPage)
            {
                context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            }
        }

        public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
        {
        }
    }

    private sealed class BrowserCacheFilter(int seconds) : IResultFilter
    {
        public void OnResultExecuting(ResultExecutingContext context)
        {
            // Not a 404 for a page that may be published a moment later, nor a 503.
            if (context.HttpContext.Response.StatusCode == StatusCodes.Status200OK && context.Result is PageResult)
            {
                context.HttpContext.Response.Headers.CacheControl = $"public, max-age={seconds}";
            }
        }

        public void OnResultExecuted(ResultExecutedContext context)
        {
        }
    }
}
