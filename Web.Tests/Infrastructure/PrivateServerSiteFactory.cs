namespace Site.Web.Tests.Infrastructure;

/// <summary>The site on a database server of its own, which the tests may stop and start again.</summary>
public sealed class PrivateServerSiteFactory : SiteFactory
{
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (DatabaseServer is not null)
        {
            await DatabaseServer.DisposeAsync();
        }
    }

    protected override Task<MariaDbServer> ChooseServerAsync() => MariaDbServer.StartPrivateAsync();
}
