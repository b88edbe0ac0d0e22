using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using EmoFarm.Testing;
using MassTransit;
using Minio.DataModel.Args;
using Minio.Exceptions;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>Proves the real-service fixtures work: each service is started once and used as the farm will use it.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class ServiceFixtureTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RabbitMq_PublishWithMassTransit_ConsumerReceivesMessage()
    {
        var received = new TaskCompletionSource<SmokePing>(TaskCreationOptions.RunContinuationsAsynchronously);
        var broker = rabbit.Broker;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker.Host, (ushort)broker.AmqpPort, "/", h =>
            {
                h.Username(broker.Username);
                h.Password(broker.Password);
            });
            cfg.ReceiveEndpoint($"smoke-{Guid.NewGuid():N}", e => e.Handler<SmokePing>(context =>
            {
                received.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync(Ct);
        try
        {
            var sent = new SmokePing(Guid.NewGuid(), "hello");
            await bus.Publish(sent, Ct);

            var got = await received.Task.WaitAsync(Patience, Ct);

            Assert.Equal(sent, got);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RabbitMqBroker_SecondBrokerAlongside_BothServeAndStopIndependently()
    {
        var first = rabbit.Broker;
        var second = await RabbitMqBroker.StartAsync(Ct);
        var secondPort = second.AmqpPort;
        try
        {
            Assert.NotEqual(first.AmqpPort, secondPort);
            var status = await second.CtlAsync(["-q", "status"], Ct);
            Assert.True(status.Succeeded, status.Output);
            Assert.Contains(second.NodeName, status.Output, StringComparison.Ordinal);
        }
        finally
        {
            await second.DisposeAsync();
        }

        Assert.False(await TcpProbe.IsOpenAsync(secondPort, Ct));
        Assert.True(await TcpProbe.IsOpenAsync(first.AmqpPort, Ct));
    }

    [Fact]
    public async Task Redis_SetThenGet_ReturnsValue()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var db = connection.GetDatabase();
        var key = $"smoke:{Guid.NewGuid():N}";
        var value = Guid.NewGuid().ToString();

        Assert.True(await db.StringSetAsync(key, value));

        Assert.Equal(value, (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task RedisServer_KilledThenRestartedWithAppendOnly_KeepsDataAndPort()
    {
        await using var server = await RedisServer.StartAsync(appendOnly: true, Ct);
        var value = Guid.NewGuid().ToString();
        await using (var before = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await before.GetDatabase().StringSetAsync("survivor", value);
        }

        var killedPid = server.Process.Id;
        await server.KillAsync();
        Assert.False(await TcpProbe.IsOpenAsync(server.Port, Ct));
        await server.RestartAsync(Ct);

        Assert.NotEqual(killedPid, server.Process.Id);
        await using var after = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.Equal(value, (string?)await after.GetDatabase().StringGetAsync("survivor"));
    }

    [Fact]
    public async Task S3_PutMultipartStatGetAndPresignedGet_RoundTripsBytes()
    {
        using var client = s3.CreateClient();
        var bucket = NewBucketName();
        var payload = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), Ct);
        Assert.True(await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), Ct));

        using (var upload = new MemoryStream(payload))
        {
            await client.PutObjectAsync(
                new PutObjectArgs().WithBucket(bucket).WithObject("big.bin").WithStreamData(upload)
                    .WithObjectSize(payload.Length).WithContentType("application/octet-stream"),
                Ct);
        }

        var stat = await client.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject("big.bin"), Ct);
        Assert.Equal(payload.Length, stat.Size);
        using var download = new MemoryStream();
        await client.GetObjectAsync(
            new GetObjectArgs().WithBucket(bucket).WithObject("big.bin")
                .WithCallbackStream((stream, token) => stream.CopyToAsync(download, token)),
            Ct);
        Assert.Equal(payload, download.ToArray());

        var url = await client.PresignedGetObjectAsync(
            new PresignedGetObjectArgs().WithBucket(bucket).WithObject("big.bin").WithExpiry(300));
        using var http = new HttpClient();
        Assert.Equal(payload, await http.GetByteArrayAsync(new Uri(url), Ct));
    }

    [Fact]
    public async Task S3_WrongSecretOrTamperedUrl_IsRejected()
    {
        using var client = s3.CreateClient();
        using var intruder = s3.CreateClient(secretKey: "not-the-secret");
        var bucket = NewBucketName();
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), Ct);
        var bytes = "secret data"u8.ToArray();

        using (var upload = new MemoryStream(bytes))
        {
            var rejected = await Assert.ThrowsAsync<AuthorizationException>(() => intruder.PutObjectAsync(
                new PutObjectArgs().WithBucket(bucket).WithObject("intruder.txt").WithStreamData(upload)
                    .WithObjectSize(bytes.Length),
                Ct));
            Assert.Contains("signature", rejected.Message, StringComparison.OrdinalIgnoreCase);
        }

        await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            client.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject("intruder.txt"), Ct));

        using (var upload = new MemoryStream(bytes))
        {
            await client.PutObjectAsync(
                new PutObjectArgs().WithBucket(bucket).WithObject("real.txt").WithStreamData(upload)
                    .WithObjectSize(bytes.Length),
                Ct);
        }

        var url = await client.PresignedGetObjectAsync(
            new PresignedGetObjectArgs().WithBucket(bucket).WithObject("real.txt").WithExpiry(300));
        var tampered = url.Replace("real.txt", "REAL.txt", StringComparison.Ordinal);
        using var http = new HttpClient();
        using var genuine = await http.GetAsync(new Uri(url), Ct);
        using var forged = await http.GetAsync(new Uri(tampered), Ct);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task ChildProcess_LineOnStderrThenSigterm_IsSeenAndExitsWithSignalCode()
    {
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "echo starting; echo ready >&2; exec tail -f /dev/null"]);

        var line = await child.WaitForOutputAsync(l => l.StartsWith("ready", StringComparison.Ordinal), Patience, Ct);
        Assert.True(child.Kill(UnixSignal.Terminate));
        var code = await child.WaitForExitAsync(Patience, Ct);

        Assert.Equal("ready", line);
        Assert.Equal(128 + (int)UnixSignal.Terminate, code);
        Assert.Contains("starting", child.OutputLines);
    }

    [Fact]
    public async Task ChildProcess_OutputEndsWithoutMatch_ThrowsWithOutputTail()
    {
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "echo only-line"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => child.WaitForOutputAsync(l => l == "never", Patience, Ct));

        Assert.Contains("only-line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChildProcess_Stop_AlsoKillsWhatItSpawned()
    {
        var child = ChildProcess.Start("/bin/sh", ["-c", "tail -f /dev/null & echo grandchild $!; wait"]);
        var line = await child.WaitForOutputAsync(l => l.StartsWith("grandchild ", StringComparison.Ordinal), Patience, Ct);
        var grandchild = int.Parse(line["grandchild ".Length..], CultureInfo.InvariantCulture);
        Assert.True(IsAlive(grandchild));

        await child.DisposeAsync();

        Assert.True(child.HasExited);
        // Killed by the group SIGKILL, it may linger as a zombie until init reaps it; that is dead enough.
        Assert.False(IsAlive(grandchild));
    }

    [Fact]
    public void ChildProcess_ProgramNotInstalled_ThrowsFileNotFoundNamingIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ChildProcess.Start("emofarm-no-such-program", []));

        Assert.Equal("emofarm-no-such-program", error.FileName);
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string NewBucketName() =>
        string.Create(CultureInfo.InvariantCulture, $"smoke-{Guid.NewGuid():N}")[..30];
}
