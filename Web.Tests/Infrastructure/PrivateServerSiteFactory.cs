namespace Site.Web.Tests.Infrastructure;

/// <summary>The site on a database server of its own, which the tests may stop and start again.</summary>
public sealed class PrivateServerSiteFactory : SiteFactory
{
    protected override bool OwnServer => true;
}
