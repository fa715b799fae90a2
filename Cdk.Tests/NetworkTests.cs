using Site.Cdk.Data;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class NetworkTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheVpcIsTenZeroSlashSixteenWithDnsSupportAndHostnames(string env)
    {
        var vpc = Site(env).Data.Only("AWS::EC2::VPC");

        Assert.Equal("10.0.0.0/16", vpc.Str("CidrBlock"));
        Assert.True(vpc.At("EnableDnsSupport").GetBoolean());
        Assert.True(vpc.At("EnableDnsHostnames").GetBoolean());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PublicSubnetsAreExactlyTheInheritedRangesInTwoZones(string env)
    {
        var subnets = Subnets(env, isPublic: true);

        Assert.Equal(["10.0.10.0/24", "10.0.20.0/24"], subnets.Select(s => s.Str("CidrBlock")).Order());
        Assert.Equal([0, 1], subnets.Select(s => s.Int("AvailabilityZone", "Fn::Select", 0)).Order());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PrivateSubnetsAreExactlyTheInheritedRangesInTwoZones(string env)
    {
        var subnets = Subnets(env, isPublic: false);

        Assert.Equal(["10.0.30.0/24", "10.0.40.0/24"], subnets.Select(s => s.Str("CidrBlock")).Order());
        Assert.Equal([0, 1], subnets.Select(s => s.Int("AvailabilityZone", "Fn::Select", 0)).Order());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ThereAreNoOtherSubnets(string env) => Site(env).Data.Template.ResourceCountIs("AWS::EC2::Subnet", 4);

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AnInternetGatewayIsAttached(string env)
    {
        var data = Site(env).Data;
        var gateway = Assert.Single(data.Resources("AWS::EC2::InternetGateway")).Id;

        Assert.Equal(gateway, data.Only("AWS::EC2::VPCGatewayAttachment").At("InternetGatewayId").Target());
    }

    [Theory, InlineData("dev", 1), InlineData("prod", 2)]
    public void NatGatewaysAreOnePerZoneInProdAndOneInDev(string env, int expected)
    {
        var data = Site(env).Data;
        var publicSubnets = data.Subnets(isPublic: true).Select(s => s.Id).ToHashSet();
        var nats = data.Resources("AWS::EC2::NatGateway");

        Assert.Equal(expected, nats.Count);
        Assert.All(nats, nat => Assert.Contains(nat.Properties.At("SubnetId").Target(), publicSubnets));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void PrivateSubnetsRouteToTheInternetThroughNatOnly(string env)
    {
        var data = Site(env).Data;
        var privateTables = PrivateRouteTables(data);
        var defaultRoutes = data.Resources("AWS::EC2::Route")
            .Where(r => privateTables.Contains(r.Properties.At("RouteTableId").Target())).ToList();

        Assert.Equal(2, defaultRoutes.Count);
        Assert.All(defaultRoutes, r => Assert.True(r.Properties.Has("NatGatewayId")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AnS3GatewayEndpointServesThePrivateSubnets(string env)
    {
        var data = Site(env).Data;
        var endpoint = data.Only("AWS::EC2::VPCEndpoint");

        Assert.Equal("Gateway", endpoint.Str("VpcEndpointType"));
        Assert.Contains(".s3", endpoint.At("ServiceName").ToString(), StringComparison.Ordinal);
        Assert.Equal(PrivateRouteTables(data).Order(), endpoint.Items("RouteTableIds").Select(t => t.Target()).Order());
    }

    [Theory, InlineData("dev", 30), InlineData("prod", 90)]
    public void EveryFlowOfTheVpcIsLoggedToTheAccessLogBucketWhichExpiresIt(string env, int days)
    {
        var data = Site(env).Data;
        var flowLog = data.Only("AWS::EC2::FlowLog");
        var bucketId = Assert.Single(data.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("AccessLogs", StringComparison.Ordinal)).Id;
        var destination = flowLog.At("LogDestination", "Fn::Join", 1).EnumerateArray().ToList();
        var expiry = Assert.Single(data.Resource(bucketId).Items("Properties", "LifecycleConfiguration", "Rules"));
        var delivery = Assert.Single(data.Resources("AWS::S3::BucketPolicy"), p => p.Properties.At("Bucket").Target() == bucketId)
            .Properties.Items("PolicyDocument", "Statement")
            .Where(s => s.Str("Effect") == "Allow" && s.At("Principal").ToString().Contains("delivery.logs.amazonaws.com", StringComparison.Ordinal)
                && s.At("Resource").ToString().Contains($"/{AccessLogStore.FlowLogPrefix}/AWSLogs/", StringComparison.Ordinal));

        Assert.Equal(data.IdOf("AWS::EC2::VPC", _ => true), flowLog.At("ResourceId").Target());
        Assert.Equal(("VPC", "ALL", "s3"), (flowLog.Str("ResourceType"), flowLog.Str("TrafficType"), flowLog.Str("LogDestinationType")));
        Assert.Equal(bucketId, destination[0].Target());
        Assert.Equal($"/{AccessLogStore.FlowLogPrefix}", destination[1].GetString());
        // The expiry applies to the whole bucket, flow logs included.
        Assert.False(expiry.Has("Prefix") || expiry.Has("Filter"));
        Assert.Equal(days, expiry.Int("ExpirationInDays"));
        Assert.Equal(["s3:PutObject"], Assert.Single(delivery).At("Action").Strings());
    }

    private List<System.Text.Json.JsonElement> Subnets(string env, bool isPublic) =>
        Site(env).Data.Subnets(isPublic).Select(s => s.Properties).ToList();

    private static HashSet<string> PrivateRouteTables(StackTemplate data)
    {
        var privateSubnets = data.Subnets(isPublic: false).Select(s => s.Id).ToHashSet();
        return data.Resources("AWS::EC2::SubnetRouteTableAssociation")
            .Where(a => privateSubnets.Contains(a.Properties.At("SubnetId").Target()))
            .Select(a => a.Properties.At("RouteTableId").Target()).ToHashSet();
    }
}
