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

    /// <summary>Keeps the first endpoint routing chose, as the docs write routes: "/api/guestbook", not "/api/guestbook/".</summary>
    public void Routed(Endpoint? endpoint) =>
        Route ??= endpoint is RouteEndpoint route ? "/" + (route.RoutePattern.RawText ?? "").Trim('/') : LogFields.NoRoute;

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
}
