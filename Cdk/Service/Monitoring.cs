using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using Site.Cdk.Data;
using DatabaseProxy = Site.Cdk.Data.DatabaseProxy;
using Site.Web.Hosting;

namespace Site.Cdk.Service;

public sealed record MonitoringProps
{
    /// <summary>What the names of the topic, alarms, saved queries and dashboard start with.</summary>
    public required string Name { get; init; }

    /// <summary>Where the metrics counted from the app's logs go.</summary>
    public required string MetricNamespace { get; init; }

    public required AlarmThresholds Thresholds { get; init; }

    public required ILogGroup AppLogs { get; init; }

    public required ApplicationLoadBalancedFargateService Web { get; init; }

    /// <summary>The blue/green deploy's other target group, watched like the pattern's own.</summary>
    public required ApplicationTargetGroup AlternateTargets { get; init; }

    public required DatabaseInstance Database { get; init; }

    /// <summary>RDS Proxy in front of the database, where the environment has one.</summary>
    public DatabaseProxy? Proxy { get; init; }

    /// <summary>Subscribed to the alarm topic when given (the address must confirm once).</summary>
    public string? AlarmEmail { get; init; }
}

/// <summary>
/// What whoever is on call looks at: saved Logs Insights queries and metric filters on the app's log group,
/// alarms on the load balancer, service, database and logs (all to one encrypted topic), deployment alarms
/// that roll a deploy back, and a dashboard.
/// </summary>
public sealed class Monitoring : Construct
{
    private static readonly Duration Minute = Duration.Minutes(1);
    private static readonly Duration FiveMinutes = Duration.Minutes(5);
    private static readonly int[] Percentiles = [50, 95, 99];

    /// <summary>The key administration actions (IAM in the account decides who); never kms:*.</summary>
    private static readonly string[] KeyAdministration =
    [
        "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
        "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
        "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
    ];

    private readonly string _prefix;
    private readonly SnsAction _notify;

    public Monitoring(Construct scope, string id, MonitoringProps props) : base(scope, id)
    {
        _prefix = props.Name;
        Namespace = props.MetricNamespace;

        Topic = new Topic(this, "AlarmTopic", new TopicProps
        {
            TopicName = $"{_prefix}-alarms",
            DisplayName = $"{_prefix} alarms",
            MasterKey = TopicKey(),
        });
        if (props.AlarmEmail is not null)
        {
            Topic.AddSubscription(new EmailSubscription(props.AlarmEmail));
        }
        _notify = new SnsAction(Topic);

        SaveQueries(props.AppLogs);
        var signals = new Signals(
            AppErrors: CountOf(props.AppLogs, LogQueries.AppErrorsMetric),
            DatabaseFailures: CountOf(props.AppLogs, LogQueries.DatabaseFailuresMetric),
            Target5xx: props.Web.LoadBalancer.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, Sum(Minute)),
            Running: ContainerInsights("RunningTaskCount", props.Web.Service),
            Desired: ContainerInsights("DesiredTaskCount", props.Web.Service));

        var target5xx = WatchTraffic(props, signals);
        WatchTasks(props.Web.Service, props.Thresholds, signals);
        WatchDatabase(props.Database, props.Thresholds);
        if (props.Proxy is { } proxy)
        {
            WatchProxy(proxy);
        }

        var appErrors = WatchLogs(props.Thresholds, signals);
        ArmDeployment(props.Web.Service, target5xx, appErrors);

        Dashboard = CreateDashboard(props, signals);
        var region = Stack.Of(this).Region;
        DashboardUrl = $"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={_prefix}";
    }

    /// <summary>The namespace of the metrics counted from the app's logs.</summary>
    public string Namespace { get; }

    public Topic Topic { get; }

    public Dashboard Dashboard { get; }

    public string DashboardUrl { get; }

    private string AlarmName(string name) => $"{_prefix}-{name}";

    /// <summary>An alarm named site-ENV-<paramref name="name"/> that notifies the topic when it fires and when it recovers.</summary>
    /// <param name="periods">How many periods are evaluated.</param>
    /// <param name="datapoints">How many of them must breach for the alarm to fire.</param>
    /// <param name="missingData">A period without data: not a breach unless silence itself means trouble.</param>
    public Alarm Watch(string name, string description, IMetric metric, double threshold, ComparisonOperator comparison,
        int periods, int datapoints, TreatMissingData missingData = TreatMissingData.NOT_BREACHING)
    {
        var alarm = new Alarm(this, name, new AlarmProps
        {
            AlarmName = AlarmName(name),
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = comparison,
            EvaluationPeriods = periods,
            DatapointsToAlarm = datapoints,
            TreatMissingData = missingData,
        });
        alarm.AddAlarmAction(_notify);
        alarm.AddOkAction(_notify);
        return alarm;
    }

    /// <summary>What both the alarms and the dashboard show.</summary>
    private sealed record Signals(Metric AppErrors, Metric DatabaseFailures, Metric Target5xx, Metric Running, Metric Desired);

    private void SaveQueries(ILogGroup logs)
    {
        foreach (var (name, query) in LogQueries.Saved)
        {
            _ = new QueryDefinition(this, $"Query{name.Replace(" ", "", StringComparison.Ordinal)}", new QueryDefinitionProps
            {
                QueryDefinitionName = $"{_prefix}/{name}",
                LogGroups = [logs],
                QueryString = Insights(query),
            });
        }
    }

    /// <summary>The load balancer's and the app's view of requests; returns the 5xx alarm that rolls a deploy back.</summary>
    private Alarm WatchTraffic(MonitoringProps props, Signals signals)
    {
        var thresholds = props.Thresholds;
        var loadBalancer = props.Web.LoadBalancer;
        _ = Watch("alb-5xx-rate", "Load balancer 5xx responses (no healthy target, timeouts) as a percentage of requests",
            new MathExpression(new MathExpressionProps
            {
                Expression = $"IF(requests >= {thresholds.MinRequestsForRate}, 100 * FILL(errors, 0) / requests, 0)",
                UsingMetrics = new Dictionary<string, IMetric>
                {
                    ["requests"] = loadBalancer.Metrics.RequestCount(Sum(FiveMinutes)),
                    ["errors"] = loadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, Sum(FiveMinutes)),
                },
                Label = "Load balancer 5xx %",
                Period = FiveMinutes,
            }),
            thresholds.LoadBalancer5xxPercent, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 1, datapoints: 1);
        var target5xx = Watch("target-5xx", "The app answered 5xx", signals.Target5xx,
            thresholds.Target5xxPerMinute, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3, datapoints: 2);
        // Blue/green deploys move the tasks between the two target groups: both are watched, and 5xx are the load balancer's.
        _ = Watch("unhealthy-hosts", "Tasks failing the load balancer's readiness check",
            new MathExpression(new MathExpressionProps
            {
                Expression = "FILL(blue, 0) + FILL(green, 0)",
                UsingMetrics = new Dictionary<string, IMetric>
                {
                    ["blue"] = props.Web.TargetGroup.Metrics.UnhealthyHostCount(new MetricOptions { Statistic = Stats.MAXIMUM, Period = Minute }),
                    ["green"] = props.AlternateTargets.Metrics.UnhealthyHostCount(new MetricOptions { Statistic = Stats.MAXIMUM, Period = Minute }),
                },
                Label = "Unhealthy targets",
                Period = Minute,
            }),
            1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3, datapoints: 3);
        _ = Watch("p99-response-time", "The slowest 1% of responses (seconds)",
            loadBalancer.Metrics.TargetResponseTime(new MetricOptions { Statistic = Stats.Percentile(99), Period = FiveMinutes }),
            thresholds.P99ResponseSeconds, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 2, datapoints: 2);
        // The app's own measure (its lines' embedded metrics): where the load balancer's is slow and this is not, the
        // time goes before the app sees the request (tasks saturated, connections queued).
        _ = Watch("request-p99", "The slowest 1% of requests as the app measures them, all routes (ms); per route on the dashboard",
            RequestMetric(LogFields.Elapsed, FiveMinutes), thresholds.P99ResponseSeconds * 1000, ComparisonOperator.GREATER_THAN_THRESHOLD,
            periods: 2, datapoints: 2);
        return target5xx;
    }

    private void WatchTasks(FargateService service, AlarmThresholds thresholds, Signals signals)
    {
        _ = Watch("task-cpu", "Service CPU stays far above the 50% scaling target: scaling is at its maximum or too slow",
            service.MetricCpuUtilization(Average(Minute)),
            thresholds.TaskCpuPercent, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 5, datapoints: 5);
        _ = Watch("task-memory", "Service memory use is high",
            service.MetricMemoryUtilization(Average(Minute)),
            thresholds.TaskMemoryPercent, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 5, datapoints: 5);
        // No data from Container Insights means the service cannot be seen running: treated as a breach.
        _ = Watch("running-tasks", "Fewer tasks running than desired for five minutes (crash loop, capacity, image pull)",
            new MathExpression(new MathExpressionProps
            {
                Expression = "desired - FILL(running, 0)",
                UsingMetrics = new Dictionary<string, IMetric> { ["desired"] = signals.Desired, ["running"] = signals.Running },
                Label = "Tasks missing",
                Period = Minute,
            }),
            1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 5, datapoints: 5, missingData: TreatMissingData.BREACHING);
    }

    private void WatchDatabase(DatabaseInstance database, AlarmThresholds thresholds)
    {
        _ = Watch("database-cpu", "Database CPU is high", database.MetricCPUUtilization(Average(FiveMinutes)),
            thresholds.DatabaseCpuPercent, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 3, datapoints: 3);
        // RDS always reports its free storage; silence means the instance is gone.
        _ = Watch("database-free-storage", "Database storage nearly full (storage autoscaling is at its maximum)",
            database.MetricFreeStorageSpace(new MetricOptions { Statistic = Stats.MINIMUM, Period = FiveMinutes }),
            thresholds.DatabaseFreeStorageGiB * 1024.0 * 1024 * 1024, ComparisonOperator.LESS_THAN_THRESHOLD,
            periods: 1, datapoints: 1, missingData: TreatMissingData.BREACHING);
        _ = Watch("database-connections", "Database connections approach the instance's limit",
            database.MetricDatabaseConnections(new MetricOptions { Statistic = Stats.MAXIMUM, Period = FiveMinutes }),
            thresholds.DatabaseConnections, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3, datapoints: 3);
    }

    /// <summary>
    /// What only the proxy sees: the database's own alarms count the proxy's connections, not the tasks' waits for one,
    /// their sign-ins (IAM tokens for the proxy) or the proxy losing the database.
    /// </summary>
    private void WatchProxy(DatabaseProxy proxy)
    {
        var borrowTimeoutMicroseconds = DatabaseProxy.BorrowTimeout.ToMilliseconds() * 1000;
        _ = Watch("proxy-borrow-latency",
            $"Statements wait at the database proxy for a connection; at {DatabaseProxy.BorrowTimeout.ToSeconds()} s it refuses them and visitors get 503 (pool exhausted)",
            proxy.Metric("DatabaseConnectionsBorrowLatency", Stats.MAXIMUM, Minute),
            borrowTimeoutMicroseconds / 2, ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 3, datapoints: 3);
        _ = Watch("proxy-sign-in-failures", "Tasks refused at the database proxy's sign-in (IAM token, database user or its rds-db:connect grant)",
            proxy.Metric("ClientConnectionsSetupFailedAuth", Stats.SUM, FiveMinutes),
            1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 1, datapoints: 1);
        _ = Watch("proxy-availability", "The database proxy cannot reach the database as the writer (a failover that lasts, or the database down)",
            proxy.Availability(Minute), 100, ComparisonOperator.LESS_THAN_THRESHOLD, periods: 3, datapoints: 3);
    }

    /// <summary>What the app's logs count; returns the errors alarm that rolls a deploy back.</summary>
    private Alarm WatchLogs(AlarmThresholds thresholds, Signals signals)
    {
        var appErrors = Watch("app-errors", "Log events at level Error", signals.AppErrors,
            thresholds.AppErrorsPerMinute, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3, datapoints: 2);
        _ = Watch("database-failures", "Database operations that failed (DatabaseFailure events)", signals.DatabaseFailures,
            thresholds.DatabaseFailuresPerMinute, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, periods: 3, datapoints: 2);
        return appErrors;
    }

    private Dashboard CreateDashboard(MonitoringProps props, Signals signals)
    {
        var loadBalancer = props.Web.LoadBalancer;
        var service = props.Web.Service;
        var database = props.Database;
        return new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = _prefix,
            DefaultInterval = Duration.Hours(3),
            Widgets =
            [
                [
                    Graph("Requests", [loadBalancer.Metrics.RequestCount(Sum(Minute))]),
                    Graph("Response time (s)", Percentiles.Select(p => loadBalancer.Metrics.TargetResponseTime(
                        new MetricOptions { Statistic = Stats.Percentile(p), Period = Minute, Label = $"p{p}" })).ToArray<IMetric>()),
                    Graph("Errors", [
                        loadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, Sum(Minute)), signals.Target5xx,
                        signals.AppErrors, signals.DatabaseFailures,
                    ]),
                ],
                [
                    Graph("Tasks: running and desired", [signals.Running, signals.Desired], width: 6),
                    Graph("Task CPU and memory (%)",
                        [service.MetricCpuUtilization(Average(Minute)), service.MetricMemoryUtilization(Average(Minute))], width: 6,
                        annotation: new HorizontalAnnotation { Value = WebService.TargetCpuPercent, Label = "Scaling target" }),
                    Graph("Database CPU (%) and connections",
                        [database.MetricCPUUtilization(Average(Minute)), database.MetricDatabaseConnections(Average(Minute))], width: 6),
                    Graph("Database free storage (bytes)", [database.MetricFreeStorageSpace(Average(FiveMinutes))], width: 6),
                ],
                .. ProxyWidgets(props.Proxy),
                [
                    Graph("Request duration p99 by route (ms)", [ByRoute(LogFields.Elapsed), RequestMetric(LogFields.Elapsed, Minute, "all routes")], width: 12),
                    Graph("Database time p99 by route (ms)", [ByRoute(LogFields.DbElapsed), RequestMetric(LogFields.DbElapsed, Minute, "all routes")], width: 12),
                ],
                [
                    new LogQueryWidget(new LogQueryWidgetProps
                    {
                        Title = "Recent errors",
                        LogGroupNames = [props.AppLogs.LogGroupName],
                        QueryString = Insights(LogQueries.RecentErrors).ToString(),
                        View = LogQueryVisualizationType.TABLE,
                        Width = 24,
                        Height = 8,
                    }),
                ],
            ],
        });
    }

    private static IWidget[][] ProxyWidgets(DatabaseProxy? proxy) => proxy is null ? [] :
    [
        [
            Graph("Database proxy: connections from the tasks and to the database", [
                proxy.Metric("ClientConnections", Stats.MAXIMUM, Minute, "from the tasks"),
                proxy.Metric("DatabaseConnections", Stats.MAXIMUM, Minute, "to the database"),
            ], width: 12),
            Graph("Database proxy: wait for a connection (µs)", [proxy.Metric("DatabaseConnectionsBorrowLatency", Stats.MAXIMUM, Minute, "max")], width: 6),
            Graph("Database proxy: availability (%)", [proxy.Availability(Minute)], width: 6),
        ],
    ];

    /// <summary>
    /// A deploy that raises these alarms is rolled back by ECS. The names are literal (a reference to the alarm
    /// would tie the service to it in a way CDK warns may become circular), so the order is set explicitly.
    /// </summary>
    private void ArmDeployment(FargateService service, params Alarm[] alarms)
    {
        service.EnableDeploymentAlarms(alarms.Select(a => AlarmName(a.Node.Id)).ToArray(), new DeploymentAlarmOptions
        {
            Behavior = AlarmBehavior.ROLLBACK_ON_ALARM,
        });
        foreach (var alarm in alarms)
        {
            service.Node.AddDependency(alarm);
        }
    }

    private Metric CountOf(ILogGroup logs, string metricName) =>
        new MetricFilter(this, $"{metricName}Filter", new MetricFilterProps
        {
            LogGroup = logs,
            MetricNamespace = Namespace,
            MetricName = metricName,
            FilterPattern = Pattern(LogQueries.Counted[metricName]),
            MetricValue = "1",
        }).Metric(Sum(Minute));

    /// <summary>p99 of a metric the app's request lines embed, over all routes (the lines' empty dimension set).</summary>
    private Metric RequestMetric(string metricName, Duration period, string? label = null) => new(new MetricProps
    {
        Namespace = Namespace,
        MetricName = metricName,
        Statistic = Stats.Percentile(99),
        Period = period,
        Label = label,
    });

    /// <summary>p99 per route: routes are found by search, so a new page needs no change here.</summary>
    private MathExpression ByRoute(string metricName) => new(new MathExpressionProps
    {
        Expression = $"SEARCH('{{{Namespace},{LogFields.Route}}} MetricName=\"{metricName}\"', 'p99', 60)",
        UsingMetrics = new Dictionary<string, IMetric>(),
        Label = "",
        Period = Minute,
    });

    private static QueryString Insights(LogQuery query) => new(new QueryStringProps
    {
        Fields = query.Fields.Count == 0 ? null : [.. query.Fields],
        FilterStatements = [query.Filter.ToInsights()],
        Stats = query.StatsText,
        Sort = query.Sort,
        Limit = query.Limit,
    });

    private static JsonPattern Pattern(LogCondition condition) => condition switch
    {
        LogCondition.Equal equal => FilterPattern.StringValue($"$.{equal.Field}", "=", equal.Value),
        LogCondition.AtLeast atLeast => FilterPattern.NumberValue($"$.{atLeast.Field}", ">=", atLeast.Value),
        LogCondition.Present present => FilterPattern.Exists($"$.{present.Field}"),
        LogCondition.All all => FilterPattern.All([.. all.Parts.Select(Pattern)]),
        _ => throw new ArgumentException($"A metric filter cannot express {condition}.", nameof(condition)),
    };

    /// <summary>
    /// CloudWatch may publish to the topic only with a key whose policy names it; the AWS-managed SNS key does not,
    /// so the topic gets its own.
    /// </summary>
    private Key TopicKey() => new(this, "AlarmTopicKey", new KeyProps
    {
        Description = $"Encrypts the {_prefix} alarm topic",
        EnableKeyRotation = true,
        RemovalPolicy = RemovalPolicy.DESTROY,
        PendingWindow = Duration.Days(7),
        Policy = new PolicyDocument(new PolicyDocumentProps
        {
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "AccountIamDecides",
                    Principals = [new AccountRootPrincipal()],
                    Actions = KeyAdministration,
                    Resources = ["*"],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "CloudWatchAlarmsPublish",
                    Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
                    Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resources = ["*"],
                }),
            ],
        }),
    });

    private static Metric ContainerInsights(string metricName, FargateService service) => new(new MetricProps
    {
        Namespace = "ECS/ContainerInsights",
        MetricName = metricName,
        DimensionsMap = new Dictionary<string, string>
        {
            ["ClusterName"] = service.Cluster.ClusterName,
            ["ServiceName"] = service.ServiceName,
        },
        Statistic = Stats.AVERAGE,
        Period = Minute,
    });

    private static MetricOptions Sum(Duration period) => new() { Statistic = Stats.SUM, Period = period };

    private static MetricOptions Average(Duration period) => new() { Statistic = Stats.AVERAGE, Period = period };

    private static GraphWidget Graph(string title, IMetric[] metrics, int width = 8, HorizontalAnnotation? annotation = null) => new(new GraphWidgetProps
    {
        Title = title,
        Left = metrics,
        LeftAnnotations = annotation is null ? null : [annotation],
        Width = width,
        Height = 6,
    });
}
