using Amazon.CDK;
using Site.Cdk;

var app = new App();
_ = EnvironmentStacks.Create(app, DeploymentContext.Read(app.Node), mediaDirectory: "Web/media");
app.Synth();
