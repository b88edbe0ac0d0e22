using System.Security.Claims;
using System.Security.Cryptography;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Faults;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>
/// One authenticated farm for the tenancy tests: tenants "a" and "b" with API keys, tenants with small quotas, a
/// token issuer the orchestrator trusts, and one finished render of tenant a. The worker stops once that render is
/// done, so every later render stays queued and counts against its tenant's quota for as long as a test needs.
/// </summary>
public sealed class TenancyFarm(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3) : IAsyncLifetime
{
    public const string Issuer = "https://idp.emofarm.test";
    public const string Audience = "emofarm-api";
    public const double QueuedAudioLimit = 2.0, PerRenderAudioLimit = 1.0;
    public const int CreatesPerMinute = 2;

    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    internal FarmHarness Farm { get; private set; } = null!;
    public Dictionary<string, string> Keys { get; } = [];
    public Render Finished { get; private set; } = null!;

    public static RenderParameters Parameters => new() { Width = 64, Height = 64, SegmentFrames = 16, OverlapFrames = 4, SeparateVocals = false };

    public RenderService.RenderServiceClient As(string tenant) => new(Farm.Invoker(Keys[tenant]));

    public RenderService.RenderServiceClient WithKey(string? key) => new(Farm.Invoker(key));

    public TenantService.TenantServiceClient Tenants => new(Farm.Invoker(Farm.OperatorKey));

    public async ValueTask InitializeAsync()
    {
        Farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        Farm.OrchestratorSettings["Auth__Jwt__Issuer"] = Issuer;
        Farm.OrchestratorSettings["Auth__Jwt__Audience"] = Audience;
        Farm.OrchestratorSettings["Auth__Jwt__SigningKeys__0"] = Convert.ToBase64String(_signingKey);
        // The stored record's rate (below) must win over the configured one.
        Farm.OrchestratorSettings["Quotas__Tenants__rate__CreatesPerMinute"] = "1000";
        await Farm.StartOrchestratorAsync();

        var ct = TestContext.Current.CancellationToken;
        foreach (var (name, quota) in new[]
        {
            ("a", new QuotaLimits()), ("b", new QuotaLimits()), ("rate", new QuotaLimits { CreatesPerMinute = CreatesPerMinute }),
            ("one", new QuotaLimits { MaxActiveRenders = 1 }),
            ("audio", new QuotaLimits { MaxQueuedAudioSeconds = QueuedAudioLimit }),
            ("short", new QuotaLimits { MaxAudioSecondsPerRender = PerRenderAudioLimit }),
        })
        {
            Keys[name] = (await Tenants.CreateTenantAsync(new CreateTenantRequest { Name = name, Quota = quota }, cancellationToken: ct)).Secret;
        }

        var configuration = Farm.WorkerConfiguration("tenancy-worker", new Dictionary<string, string?>());
        await using (await InProcessWorker.StartAsync(configuration, _ => new ScriptedRenderer(_ => false), ct))
        {
            var render = await Farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(1), Parameters, client: As("a"));
            Finished = await Farm.WaitFinishedAsync(render.Id, TimeSpan.FromMinutes(3));
        }
        Assert.Equal(RenderState.Succeeded, Finished.State);
    }

    /// <summary>A token signed by the issuer the orchestrator trusts unless another key is given.</summary>
    public string Token(string? tenant, string audience = Audience, TimeSpan? lifetime = null, byte[]? signingKey = null, bool admin = false)
    {
        var claims = new List<Claim> { new("sub", "user-1") };
        if (tenant is not null)
            claims.Add(new Claim("tenant", tenant));
        if (admin)
            claims.Add(new Claim("roles", "admin"));
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? _signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    public RenderService.RenderServiceClient WithToken(string token) =>
        new(Farm.Invoker(null).Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        }));

    /// <summary>Nothing was stored since <paramref name="before"/>: no Redis key and no object.</summary>
    public async Task AssertUnchangedAsync((IReadOnlyList<string> RedisKeys, IReadOnlyList<string> Objects) before)
    {
        var after = await Farm.StoredAsync(TestContext.Current.CancellationToken);
        Assert.Equal(before.RedisKeys.Order(), after.RedisKeys.Order());
        Assert.Equal(before.Objects.Order(), after.Objects.Order());
    }

    public async ValueTask DisposeAsync() => await Farm.DisposeAsync();
}
