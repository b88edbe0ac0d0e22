using EmoFarm.Farm.Hosting;
using EmoFarm.Model.Rendering;
using EmoFarm.Worker;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("emofarm-worker");
// The model first: its start-up load must finish (or fail loudly) before the bus hands this worker a segment.
builder.Services.AddEmoRenderer(builder.Configuration);
builder.Services.AddSingleton<IPostConfigureOptions<ModelOptions>, BucketWeights>();
builder.Services.AddFarm(builder.Configuration, orchestrator: false, worker: true);
// A clip on a big model takes a minute or two; SIGTERM lets the current clip finish and hands the rest back.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
builder.Services.AddSingleton<GpuMemoryGauge>();

var app = builder.Build();
_ = app.Services.GetRequiredService<GpuMemoryGauge>(); // registers the gauge's callback

app.MapServiceEndpoints();
app.Run();
