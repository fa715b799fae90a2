using Amazon.CDK;
using Site.Cdk;
using Site.Cdk.Ci;
using Site.Cdk.Site;

var app = new App();
var context = DeploymentContext.Read(app.Node);

_ = new CiStack(app, context.Settings, context.Region, context.GitHubRepository, context.OidcProviderArn);
var data = new DataStack(app, context.Settings, context.Region, "Web/media");
_ = new ServiceStack(app, new ServiceStackProps(
    context.Settings, context.Region, data, context.ImageTag, context.Domain, context.HostedZoneId));

app.Synth();
