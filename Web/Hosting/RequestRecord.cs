using Microsoft.AspNetCore.Routing.Template;

namespace Site.Web.Hosting;

/// <summary>
/// What the request's one completion line needs that only the code handling the request knows: the endpoint routing
/// chose for it (an error page re-executed afterwards is routed again, and must not take its place), the first
/// failure that decided its answer, and the time it spent in the database.
/// </summary>
public sealed class RequestRecord
{
    private readonly Lock gate = new();
    private double databaseMs;
    private int databaseOperations;

    /// <summary>The route template of the request's own endpoint, or <see cref="LogFields.NoRoute"/>; null before routing.</summary>
    public string? Route { get; private set; }

    public Exception? Failure { get; private set; }

    /// <summary>Total milliseconds in database operations, or null when the request made none.</summary>
    public double? DatabaseMs
    {
        get
        {
            lock (gate)
            {
                return databaseOperations == 0 ? null : Math.Round(databaseMs, 1);
            }
        }
    }

    public static RequestRecord Of(HttpContext context)
    {
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            return record;
        }

        record = new RequestRecord();
        context.Features.Set(record);
        return record;
    }

    /// <summary>
    /// Keeps the route of the first endpoint routing chose, as the docs write routes: "/api/guestbook", not
    /// "/api/guestbook/". A path whose method or content type no endpoint takes is answered (405, 415) by an endpoint
    /// routing makes up, which has no route: the route then is the one whose template the path matched.
    /// </summary>
    public void Routed(HttpContext context, EndpointDataSource endpoints)
    {
        if (Route is not null)
        {
            return;
        }

        var route = context.GetEndpoint() switch
        {
            RouteEndpoint chosen => chosen,
            null => null,
            _ => endpoints.Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.Order).FirstOrDefault(e => Matches(e, context.Request.Path)),
        };
        Route = route is null ? LogFields.NoRoute : "/" + (route.RoutePattern.RawText ?? "").Trim('/');
    }

    /// <summary>Records the failure unless an earlier one decided the answer; true when this one is the first.</summary>
    public bool Fail(Exception exception)
    {
        lock (gate)
        {
            if (Failure is not null)
            {
                return false;
            }

            Failure = exception;
            return true;
        }
    }

    public void AddDatabaseTime(double milliseconds)
    {
        lock (gate)
        {
            databaseMs += milliseconds;
            databaseOperations++;
        }
    }

    private static bool Matches(RouteEndpoint endpoint, PathString path) =>
        new TemplateMatcher(TemplateParser.Parse(endpoint.RoutePattern.RawText ?? ""), []).TryMatch(path, []);
}
