namespace Site.Web.Hosting;

/// <summary>
/// How many days the logs that hold visitors' IP addresses are kept: the app's log group (each request's line has its
/// ClientIp) and the load balancer's access logs. The CDK app compiles this file and sets both retentions from it, and
/// the privacy page states the longest, so the page can't promise less than the infrastructure keeps.
/// </summary>
public static class LogKeeping
{
    public const int DevDays = 30;

    public const int ProductionDays = 90;

    public const int LongestDays = ProductionDays > DevDays ? ProductionDays : DevDays;
}
