using EmoFarm.Farm.Hosting;
using EmoFarm.Model.Hosting;
using EmoFarm.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("emofarm-worker");
// Weights in a bucket are fetched, then the model loads, before the bus hands this worker a segment: hosted services
// start in the order they are registered.
builder.Services.AddHostedService<BucketWeights>();
builder.Services.AddEmoRenderer(builder.Configuration);
builder.Services.AddFarm(builder.Configuration, farm => farm.AddWorker());
// A clip on a big model takes a minute or two; SIGTERM lets the current clip finish and hands the rest back.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
builder.Services.AddHostedService<GpuMemoryGauge>();

var app = builder.Build();
app.MapServiceEndpoints();
app.Run();
