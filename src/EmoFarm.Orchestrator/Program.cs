using EmoFarm.Farm.Api;
using EmoFarm.Farm.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("emofarm-orchestrator");
builder.Services.AddFarm(builder.Configuration, orchestrator: true, worker: false);
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks();

var app = builder.Build();
app.MapGrpcService<RenderGrpcService>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
app.MapServiceEndpoints();
app.Run();
