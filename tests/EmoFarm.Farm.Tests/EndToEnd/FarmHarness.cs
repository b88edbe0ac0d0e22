using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Minio.DataModel.Args;
using StackExchange.Redis;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// A whole farm of real processes for one test: an orchestrator and workers (the built services, launched with
/// dotnet) on a RabbitMQ, a Redis and a Swift, isolated by their own virtual host, key prefix and bucket.
/// </summary>
internal sealed class FarmHarness : IAsyncDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];
    private readonly RabbitMqBroker _rabbit;
    private readonly RedisServer _redis;
    private readonly SwiftS3Server _s3;
    private readonly int _grpcPort = PortAllocator.GetFreePort();
    private readonly int _httpPort = PortAllocator.GetFreePort();
    private readonly List<ChildProcess> _processes = [];
    private GrpcChannel? _channel;
    // An operator key for this farm only: Client calls with it, and the orchestrator knows only its digest.
    private readonly string _operatorKey = ApiKeys.Generate().Key;

    private FarmHarness(RabbitMqBroker rabbit, RedisServer redis, SwiftS3Server s3)
    {
        _rabbit = rabbit;
        _redis = redis;
        _s3 = s3;
    }

    public string VirtualHost => $"vh-{_id}";
    public string Bucket => $"b-{_id}";
    public string RedisPrefix => $"t-{_id}:";
    public ChildProcess? Orchestrator { get; private set; }
    public Dictionary<string, string> OrchestratorSettings { get; } = [];

    /// <summary>"https" serves the gRPC port with the certificate named in <see cref="OrchestratorSettings"/>.</summary>
    public string Scheme { get; set; } = "http";

    public string Address => $"{Scheme}://127.0.0.1:{_grpcPort}";

    /// <summary>The orchestrator's HTTP endpoint: /metrics and /healthz.</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{_httpPort}/");

    /// <summary>The operator's client: an administrator, whose own renders belong to <see cref="Tenant"/>.</summary>
    public RenderService.RenderServiceClient Client => new(Invoker(_operatorKey));

    /// <summary>The tenant of the renders <see cref="Client"/> creates.</summary>
    public string Tenant { get; } = new AuthOptions().AdminTenant;

    public string OperatorKey => _operatorKey;

    /// <summary>A call invoker that sends <paramref name="apiKey"/> (or nothing, for null) with every call.</summary>
    public CallInvoker Invoker(string? apiKey) =>
        (_channel ??= GrpcChannel.ForAddress(Address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 }))
        .Intercept(metadata =>
        {
            if (apiKey is not null)
                metadata.Add(ApiKeyAuthenticationHandler.Header, apiKey);
            return metadata;
        });

    /// <summary>The processes started so far, in order: the orchestrator(s) and the workers.</summary>
    public IReadOnlyList<ChildProcess> Processes => _processes;

    public static Task<FarmHarness> CreateAsync(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3) =>
        CreateAsync(rabbit.Broker, redis.Server, s3.Server);

    public static async Task<FarmHarness> CreateAsync(RabbitMqBroker rabbit, RedisServer redis, SwiftS3Server s3)
    {
        var harness = new FarmHarness(rabbit, redis, s3);
        await rabbit.CtlAsync(["add_vhost", harness.VirtualHost]);
        await rabbit.CtlAsync(["set_permissions", "-p", harness.VirtualHost, rabbit.Username, ".*", ".*", ".*"]);
        return harness;
    }

    /// <summary>A Minio client for this farm's S3 endpoint.</summary>
    public Minio.IMinioClient S3Client() => S3Fixture.CreateClient(_s3);

    private Dictionary<string, string?> Environment() => new()
    {
        ["Rabbit__Host"] = "127.0.0.1",
        ["Rabbit__Port"] = _rabbit.AmqpPort.ToString(CultureInfo.InvariantCulture),
        ["Rabbit__VirtualHost"] = VirtualHost,
        ["Rabbit__Username"] = _rabbit.Username,
        ["Rabbit__Password"] = _rabbit.Password,
        ["Redis__Configuration"] = _redis.ConnectionString,
        ["Redis__Prefix"] = RedisPrefix,
        ["S3__Endpoint"] = _s3.Endpoint,
        ["S3__AccessKey"] = _s3.AccessKey,
        ["S3__SecretKey"] = _s3.SecretKey,
        ["S3__Region"] = _s3.Region,
        ["S3__Bucket"] = Bucket,
        ["Auth__AdminKeySha256__0"] = ApiKeys.Sha256(_operatorKey),
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>
    /// A worker's settings as configuration keys (Section:Key), for a worker hosted inside the test process instead
    /// of launched as one (see Procedural.InProcessWorker): the same services, virtual host, prefix and bucket.
    /// </summary>
    public Dictionary<string, string?> WorkerConfiguration(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = Environment().Where(e => e.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        configuration["Worker:Name"] = name;
        foreach (var (key, value) in settings)
            configuration[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        return configuration;
    }

    /// <summary>Starts (or restarts) the orchestrator on the harness's fixed gRPC port.</summary>
    public async Task<ChildProcess> StartOrchestratorAsync()
    {
        var env = Environment();
        foreach (var (key, value) in OrchestratorSettings)
            env[key] = value;
        var process = await StartAsync("orchestrator", RepoPaths.Assembly("EmoFarm.Orchestrator", "EmoFarm.Orchestrator.dll"), env,
            $"--Kestrel:Endpoints:Grpc:Url={Address}", $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{_httpPort}");
        Orchestrator = process;
        return process;
    }

    /// <param name="model">Model settings replacing the default (tiny, random weights).</param>
    /// <param name="waitForStart">False returns at once, for a worker expected to refuse to start.</param>
    public async Task<ChildProcess> StartWorkerAsync(string name, IReadOnlyDictionary<string, string?>? model = null, bool waitForStart = true)
    {
        var env = Environment();
        env["Worker__Name"] = name;
        foreach (var (key, value) in model ?? new Dictionary<string, string?> { ["Model__Config"] = "tiny", ["Model__RandomWeights"] = "true" })
            env[key] = value;
        return await StartAsync(name, RepoPaths.Assembly("EmoFarm.Worker", "EmoFarm.Worker.dll"), env, waitForStart,
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{PortAllocator.GetFreePort()}");
    }

    private async Task<ChildProcess> StartAsync(string name, string dll, Dictionary<string, string?> env, params string[] args) =>
        await StartAsync(name, dll, env, true, args);

    private async Task<ChildProcess> StartAsync(string name, string dll, Dictionary<string, string?> env, bool waitForStart, params string[] args)
    {
        var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = [dll, .. args],
            Environment = env,
            Name = name,
            // The host reads appsettings.json (endpoints and protocols) from its content root, the working folder.
            WorkingDirectory = Path.GetDirectoryName(dll),
        });
        _processes.Add(process);
        if (!waitForStart)
            return process;
        try
        {
            // The host logs this after every hosted service has started: the model is loaded and the bus is up.
            await process.WaitForOutputAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{name} did not start:\n{process.OutputTail()}", e);
        }
        return process;
    }

    /// <summary>Uploads through the streaming API, as the operator unless another <paramref name="client"/> is given.</summary>
    public async Task<Render> SubmitAsync(byte[] image, byte[] audio, RenderParameters parameters, string idempotencyKey = "",
        RenderService.RenderServiceClient? client = null)
    {
        using var call = (client ?? Client).CreateRenderStream();
        try
        {
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = parameters, IdempotencyKey = idempotencyKey } });
            foreach (var chunk in image.Chunk(256 * 1024))
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = Google.Protobuf.ByteString.CopyFrom(chunk) });
            foreach (var chunk in audio.Chunk(256 * 1024))
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = Google.Protobuf.ByteString.CopyFrom(chunk) });
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The server answered before the upload ended (a refused credential or quota): its status, read below,
            // says why, where the write only sees the stream close.
        }
        return await call.ResponseAsync;
    }

    /// <summary>
    /// Follows the render's event stream until <paramref name="until"/> holds for a snapshot or progress, as the
    /// operator or as <paramref name="client"/>'s tenant sees it.
    /// </summary>
    public async Task<Render> WatchUntilAsync(string id, Func<Render, bool> until, TimeSpan timeout, RenderService.RenderServiceClient? client = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var call = (client ?? Client).WatchRender(new WatchRenderRequest { Id = id }, cancellationToken: cts.Token);
        var render = new Render();
        try
        {
            await foreach (var e in call.ResponseStream.ReadAllAsync(cts.Token))
            {
                if (e.EventCase == RenderEvent.EventOneofCase.Snapshot)
                    render = e.Snapshot;
                else
                    render.Progress = e.Progress;
                if (until(render))
                    return render;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            throw new TimeoutException($"render {id} did not get there in {timeout}; last seen {render}\n{Diagnostics()}", e);
        }
        throw new InvalidOperationException($"render {id} finished as {render.State} ({render.Error}) without reaching the expected point\n{Diagnostics()}");
    }

    /// <summary>This farm's Redis keys and bucket objects: a refused render must leave none.</summary>
    public async Task<(IReadOnlyList<string> RedisKeys, IReadOnlyList<string> Objects)> StoredAsync(CancellationToken ct)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var keys = connection.GetServers()[0].Keys(pattern: RedisPrefix + "*").Select(k => (string)k!).ToList();
        var objects = new List<string>();
        await foreach (var item in S3Client().ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithRecursive(true), ct))
            objects.Add(item.Key);
        return (keys, objects);
    }

    public Task<Render> WaitFinishedAsync(string id, TimeSpan timeout) =>
        WatchUntilAsync(id, r => r.State is RenderState.Succeeded or RenderState.Failed or RenderState.Cancelled, timeout);

    public string Diagnostics() => string.Join("\n", _processes.Select(p => $"--- {p}:\n{p.OutputTail(40)}"));

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        foreach (var process in _processes)
            await process.DisposeAsync();
        await _rabbit.CtlAsync(["delete_vhost", VirtualHost]);
    }
}
