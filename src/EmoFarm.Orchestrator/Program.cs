using EmoFarm.Farm.Api;
using EmoFarm.Farm.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("emofarm-orchestrator");
builder.Services.AddFarm(builder.Configuration, orchestrator: true, worker: false);
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
// The gRPC health service reports what /healthz/ready reports: the bus, Redis and the bucket.
builder.Services.AddGrpcHealthChecks(o =>
{
    o.Services.Clear();
    o.Services.Map("", c => c.Tags.Contains(DependencyHealthChecks.ReadyTag));
});

var app = builder.Build();
app.MapGrpcService<RenderGrpcService>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
app.MapServiceEndpoints();
app.Run();
