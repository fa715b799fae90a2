using Amazon.CDK;
using Site.Cdk;

var app = new App();
SiteStacks.Create(app, DeploymentContext.Read(app.Node), mediaDirectory: "Web/media");
app.Synth();
