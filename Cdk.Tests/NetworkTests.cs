using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class NetworkTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheVpcIsTenZeroSlashSixteenWithDnsSupportAndHostnames(string env) =>
        Site(env).Data.Template.HasResourceProperties("AWS::EC2::VPC", Like.Object(
            ("CidrBlock", "10.0.0.0/16"), ("EnableDnsSupport", true), ("EnableDnsHostnames", true)));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PublicSubnetsAreExactlyTheInheritedRangesInTwoZones(string env) =>
        AssertSubnets(Site(env).Data, isPublic: true, "10.0.10.0/24", "10.0.20.0/24");

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PrivateSubnetsAreExactlyTheInheritedRangesInTwoZones(string env) =>
        AssertSubnets(Site(env).Data, isPublic: false, "10.0.30.0/24", "10.0.40.0/24");

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ThereAreNoOtherSubnets(string env) => Site(env).Data.Template.ResourceCountIs("AWS::EC2::Subnet", 4);

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AnInternetGatewayIsAttached(string env)
    {
        var data = Site(env).Data;

        data.Template.HasResourceProperties("AWS::EC2::VPCGatewayAttachment", Like.Object(
            ("InternetGatewayId", Like.Ref(data.IdOf("AWS::EC2::InternetGateway", _ => true)))));
    }

    /// <summary>The count is the requirement: a NAT gateway per zone is what lets prod lose one.</summary>
    [Theory, InlineData("dev", 1), InlineData("prod", 2)]
    public void NatGatewaysAreOnePerZoneInProdAndOneInDev(string env, int expected)
    {
        var data = Site(env).Data;
        var inPublicSubnets = data.Subnets(isPublic: true).Sum(subnet => data.Template.FindResources("AWS::EC2::NatGateway",
            Like.Object(("Properties", Like.Object(("SubnetId", Like.Ref(subnet.Id)))))).Count);

        data.Template.ResourceCountIs("AWS::EC2::NatGateway", expected);
        Assert.Equal(expected, inPublicSubnets);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PrivateSubnetsRouteToTheInternetThroughNatOnly(string env)
    {
        var data = Site(env).Data;
        var privateTables = PrivateRouteTables(data);

        Assert.Equal(2, privateTables.Count);
        Assert.All(privateTables, table =>
        {
            data.Template.ResourcePropertiesCountIs("AWS::EC2::Route", Like.Object(("RouteTableId", Like.Ref(table))), 1);
            data.Template.HasResourceProperties("AWS::EC2::Route", Like.Object(
                ("RouteTableId", Like.Ref(table)), ("DestinationCidrBlock", "0.0.0.0/0"), ("NatGatewayId", Match.AnyValue())));
        });
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AnS3GatewayEndpointServesThePrivateSubnets(string env)
    {
        var data = Site(env).Data;

        data.Template.ResourceCountIs("AWS::EC2::VPCEndpoint", 1);
        data.Template.HasResourceProperties("AWS::EC2::VPCEndpoint", Like.Object(
            ("VpcEndpointType", "Gateway"),
            ("ServiceName", Like.Dictionary(("Fn::Join", new object[] { "", Like.ArrayWith(".s3") }))),
            ("RouteTableIds", PrivateRouteTables(data).Select(Like.Ref).ToArray())));
    }

    [Theory, InlineData("dev", 30), InlineData("prod", 90)]
    public void EveryFlowOfTheVpcIsLoggedToTheAccessLogBucketWhichExpiresIt(string env, int days)
    {
        var data = Site(env).Data;
        var bucket = Assert.Single(data.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("AccessLogs", StringComparison.Ordinal)).Id;
        var bucketArn = Like.Dictionary(("Fn::GetAtt", new object[] { bucket, "Arn" }));

        data.Template.HasResourceProperties("AWS::EC2::FlowLog", Like.Object(
            ("ResourceId", Like.Ref(data.IdOf("AWS::EC2::VPC", _ => true))),
            ("ResourceType", "VPC"),
            ("TrafficType", "ALL"),
            ("LogDestinationType", "s3"),
            ("LogDestination", Like.Dictionary(("Fn::Join", new object[] { "", new object[] { bucketArn, $"/{AccessLogStore.FlowLogPrefix}" } })))));
        // One rule for the whole bucket, flow logs included: no prefix or filter narrows it.
        Assert.Contains(bucket, data.Template.FindResources("AWS::S3::Bucket", Like.Object(("Properties", Like.Object(
            ("LifecycleConfiguration", Like.Dictionary(("Rules", new object[]
            {
                Like.Object(("ExpirationInDays", days), ("Prefix", Match.Absent()), ("Filter", Match.Absent())),
            }))))))).Keys);
        // The log delivery's one grant on the flow logs' keys: counting statements of one policy needs its JSON.
        var delivery = Assert.Single(data.Resources("AWS::S3::BucketPolicy"), p => p.Properties.At("Bucket").Target() == bucket)
            .Properties.Items("PolicyDocument", "Statement")
            .Where(s => s.Str("Effect") == "Allow" && s.At("Principal").ToString().Contains("delivery.logs.amazonaws.com", StringComparison.Ordinal)
                && s.At("Resource").ToString().Contains($"/{AccessLogStore.FlowLogPrefix}/AWSLogs/", StringComparison.Ordinal));
        Assert.Equal(["s3:PutObject"], Assert.Single(delivery).At("Action").Strings());
    }

    /// <summary>The route tables of the private subnets, found through their associations: a table names no subnet itself.</summary>
    private static List<string> PrivateRouteTables(StackTemplate data)
    {
        var privateSubnets = data.Subnets(isPublic: false).Select(s => s.Id).ToHashSet();
        return data.Resources("AWS::EC2::SubnetRouteTableAssociation")
            .Where(a => privateSubnets.Contains(a.Properties.At("SubnetId").Target()))
            .Select(a => a.Properties.At("RouteTableId").Target()).ToList();
    }

    /// <summary>Exactly these ranges, the first in the region's first zone and the second in its second.</summary>
    private static void AssertSubnets(StackTemplate data, bool isPublic, params string[] ranges)
    {
        data.Template.ResourcePropertiesCountIs("AWS::EC2::Subnet", Like.Object(("MapPublicIpOnLaunch", isPublic)), ranges.Length);
        Assert.All(ranges.Select((range, zone) => (range, zone)), subnet => data.Template.HasResourceProperties("AWS::EC2::Subnet", Like.Object(
            ("MapPublicIpOnLaunch", isPublic),
            ("CidrBlock", subnet.range),
            ("AvailabilityZone", Like.Dictionary(("Fn::Select", new object[] { subnet.zone, Match.AnyValue() }))))));
    }
}
