using Amazon.CDK.AWS.EC2;
using Amazon.JSII.Runtime.Deputy;

namespace Site.Cdk.Data;

/// <summary>
/// Hands the VPC the exact CIDRs the network has always used; the built-in allocators only pack subnets
/// from the bottom of the range. The VPC asks for subnets per configuration name, one per zone in order.
/// </summary>
internal sealed class FixedSubnetAddresses(string vpcCidr, IReadOnlyDictionary<string, string[]> subnetCidrs)
    : DeputyBase, IIpAddresses
{
    public IVpcIpamOptions AllocateVpcCidr() => new VpcIpamOptions { CidrBlock = vpcCidr };

    public ISubnetIpamOptions AllocateSubnetsCidr(IAllocateCidrRequest input)
    {
        var nextIndex = new Dictionary<string, int>();
        var allocated = input.RequestedSubnets.Select(requested =>
        {
            var name = requested.Configuration.Name;
            if (!subnetCidrs.TryGetValue(name, out var cidrs))
            {
                throw new InvalidOperationException($"No CIDRs are fixed for the subnet group '{name}'.");
            }
            var index = nextIndex.GetValueOrDefault(name);
            nextIndex[name] = index + 1;
            if (index >= cidrs.Length)
            {
                throw new InvalidOperationException($"Subnet group '{name}' has only {cidrs.Length} fixed CIDRs.");
            }
            return (IAllocatedSubnet)new AllocatedSubnet { Cidr = cidrs[index] };
        }).ToArray();
        return new SubnetIpamOptions { AllocatedSubnets = allocated };
    }
}
