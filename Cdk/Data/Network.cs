using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.S3;
using Constructs;
using Site.Cdk.Service;
using Site.Web.Notifications;

namespace Site.Cdk.Data;

public sealed record NetworkProps
{
    public required int NatGateways { get; init; }

    /// <summary>Where the VPC's flow logs go (the access log bucket, under its own prefix).</summary>
    public required IBucket FlowLogs { get; init; }

    /// <summary>CloudFront in front (Edge): the load balancer then admits CloudFront's origin-facing addresses only.</summary>
    public required bool Edge { get; init; }
}

/// <summary>
/// The VPC of the inherited design and its three security-group tiers: internet to load balancer on
/// 80/443, load balancer to app on 8080, app to database on 3306. No group allows anything else in.
/// Every flow, accepted or rejected, is logged.
/// </summary>
public sealed class Network : Construct
{
    public const string VpcCidr = "10.0.0.0/16";
    public const string PublicGroup = "Public";
    public const string PrivateGroup = "Private";
    public const int AppPort = 8080;

    /// <summary>The load balancer's test listener: a blue/green deploy's new tasks answer here before production.</summary>
    public const int TestListenerPort = 8443;
    public const int DatabasePort = 3306;

    public static IReadOnlyDictionary<string, string[]> SubnetCidrs { get; } = new Dictionary<string, string[]>
    {
        [PublicGroup] = ["10.0.10.0/24", "10.0.20.0/24"],
        [PrivateGroup] = ["10.0.30.0/24", "10.0.40.0/24"],
    };

    public static SubnetSelection PublicSubnets { get; } = new() { SubnetGroupName = PublicGroup };

    public static SubnetSelection PrivateSubnets { get; } = new() { SubnetGroupName = PrivateGroup };

    public Network(Construct scope, string id, NetworkProps props) : base(scope, id)
    {
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = new FixedSubnetAddresses(VpcCidr, SubnetCidrs),
            MaxAzs = 2,
            NatGateways = props.NatGateways,
            EnableDnsSupport = true,
            EnableDnsHostnames = true,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = PublicGroup, SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = PrivateGroup, SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 24 },
            ],
        });
        // Media reads stay inside the VPC and off the NAT gateways' per-GB charge; the media bucket admits the site's
        // reads only through this endpoint.
        S3Endpoint = Vpc.AddGatewayEndpoint("S3", new GatewayVpcEndpointOptions
        {
            Service = GatewayVpcEndpointAwsService.S3,
            Subnets = [PrivateSubnets],
        });
        _ = Vpc.AddFlowLog("FlowLog", new FlowLogOptions
        {
            Destination = FlowLogDestination.ToS3(props.FlowLogs, AccessLogStore.FlowLogPrefix),
            TrafficType = FlowLogTrafficType.ALL,
        });

        // A group's description cannot change without replacing the group, which the service stack uses: it stays as it
        // was before the edge.
        LoadBalancerGroup = Group("LoadBalancer", "Load balancer: HTTP and HTTPS from the internet");
        AppGroup = Group("App", "Site tasks: app port from the load balancer only");
        DatabaseGroup = Group("Database", "Database: MySQL from the site tasks only");

        if (props.Edge)
        {
            // CloudFront reaches the origin over HTTPS only; visitors' plain HTTP is redirected at the edge.
            LoadBalancerGroup.AddIngressRule(Peer.PrefixList(Edge.OriginFacingPrefixList), Port.Tcp(443), "HTTPS from CloudFront only");
        }
        else
        {
            LoadBalancerGroup.AddIngressRule(Peer.AnyIpv4(), Port.Tcp(80), "HTTP from the internet");
            LoadBalancerGroup.AddIngressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS from the internet");
            NagSuppressions.Add(LoadBalancerGroup, new NagSuppression("AwsSolutions-EC23",
                "A public website: anyone may reach the load balancer on 80 and 443, and nothing else"));
        }
        LoadBalancerGroup.AddIngressRule(Peer.Ipv4(VpcCidr), Port.Tcp(TestListenerPort),
            "The blue/green test listener, from inside the VPC only");
        LoadBalancerGroup.Connections.AllowTo(AppGroup, Port.Tcp(AppPort), "Load balancer to the site tasks");
        // Site tasks to the database: added by the Database on its own port, where the rotation function's rule
        // (the same one) folds into it instead of becoming a duplicate that EC2 would refuse.
        // ECR, Secrets Manager, CloudWatch Logs and S3 (through the gateway endpoint) are all HTTPS.
        AppGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "AWS APIs over HTTPS");
        AppGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(MailSecret.SubmissionPort), "Mail to the owner through Amazon SES's SMTP interface (STARTTLS)");
    }

    public Vpc Vpc { get; }

    public GatewayVpcEndpoint S3Endpoint { get; }

    public SecurityGroup LoadBalancerGroup { get; }

    public SecurityGroup AppGroup { get; }

    public SecurityGroup DatabaseGroup { get; }

    private SecurityGroup Group(string id, string description) => new(this, id, new SecurityGroupProps
    {
        Vpc = Vpc,
        Description = description,
        AllowAllOutbound = false,
    });
}
