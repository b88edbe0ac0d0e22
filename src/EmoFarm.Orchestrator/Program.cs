using EmoFarm.Api.V1;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("emofarm-orchestrator");
builder.Services.AddFarm(builder.Configuration, farm => farm.AddOrchestrator());
builder.Services.AddApiAuthentication(builder.Configuration);
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
// As the chart's probes ask: liveness about the server as a whole (""), which answers while the process does;
// readiness about the API, which is what /healthz/ready reports: the bus, Redis and the bucket. A Redis outage
// takes replicas out of the Service instead of restarting them all.
builder.Services.AddGrpcHealthChecks(o =>
{
    o.Services.Clear();
    o.Services.Map("", c => c.Tags.Contains(DependencyHealthChecks.LiveTag));
    o.Services.Map(RenderService.Descriptor.FullName, c => c.Tags.Contains(DependencyHealthChecks.ReadyTag));
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseCreateRateLimit();
// Health and reflection stay open: probes and tooling carry no credentials.
app.MapGrpcService<RenderGrpcService>().RequireCallers(app);
app.MapGrpcService<TenantGrpcService>().RequireCallers(app, TenancyServices.AdminPolicy);
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
app.MapServiceEndpoints();
app.Run();
