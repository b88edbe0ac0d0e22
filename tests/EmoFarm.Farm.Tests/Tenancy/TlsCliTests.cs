using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>
/// The orchestrator serving TLS from certificate files, as the chart mounts them, and the CLI reaching it with a
/// private certificate authority and each kind of credential, tenant management included.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class TlsCliTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ChildProcessResult> EmofarmAsync(params string[] args) => ChildProcess.RunAsync(new ChildProcessOptions
    {
        FileName = "dotnet",
        Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), .. args],
        // The CLI reads these when the options are absent; a developer's own must not leak into the test.
        Environment = new Dictionary<string, string?> { ["EMOFARM_API_KEY"] = null, ["EMOFARM_TOKEN"] = null, ["EMOFARM_CA_CERT"] = null, ["EMOFARM_SERVER"] = null },
    }, TimeSpan.FromMinutes(2), Ct);

    [Fact]
    public async Task Cli_OverTls_WithThePrivateAuthority_ManagesTenantsAndActsForThem()
    {
        using var folder = new TempFolder("tls");
        var (caPath, certPath, keyPath) = WriteCertificates(folder);
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.Scheme = "https";
        farm.OrchestratorSettings["Kestrel__Endpoints__Grpc__Certificate__Path"] = certPath;
        farm.OrchestratorSettings["Kestrel__Endpoints__Grpc__Certificate__KeyPath"] = keyPath;
        await farm.StartOrchestratorAsync();
        string[] Over(params string[] args) => [.. args, "--server", farm.Address, "--ca-cert", caPath];

        var created = await EmofarmAsync(Over("tenants", "create", "acme", "--description", "tls test", "--creates-per-minute", "4321", "--api-key", farm.OperatorKey));
        Assert.True(created.Succeeded, created.Output);
        var key = created.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("efk_", StringComparison.Ordinal));

        var listed = await EmofarmAsync(Over("list", "--api-key", key));
        Assert.True(listed.Succeeded, listed.Output);
        Assert.Contains("tenant", listed.Output, StringComparison.Ordinal);
        var tenants = await EmofarmAsync(Over("tenants", "list", "--api-key", farm.OperatorKey));
        Assert.True(tenants.Succeeded, tenants.Output);
        Assert.Contains("acme", tenants.Output, StringComparison.Ordinal);
        Assert.Contains("tls test", tenants.Output, StringComparison.Ordinal);
        Assert.Contains("4321", tenants.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, tenants.Output, StringComparison.Ordinal);

        var notAdmin = await EmofarmAsync(Over("tenants", "list", "--api-key", key));
        Assert.False(notAdmin.Succeeded);
        Assert.Contains("needs an administrator's credential", notAdmin.Output, StringComparison.Ordinal);
        var anonymous = await EmofarmAsync(Over("list"));
        Assert.False(anonymous.Succeeded);
        Assert.Contains("refused the credential", anonymous.Output, StringComparison.Ordinal);

        // Without the authority the server's certificate is not trusted, and plain HTTP/2 does not reach the port.
        var untrusted = await EmofarmAsync("list", "--server", farm.Address, "--api-key", key);
        Assert.False(untrusted.Succeeded, untrusted.Output);
        var plain = await EmofarmAsync("list", "--server", farm.Address.Replace("https://", "http://", StringComparison.Ordinal), "--api-key", key);
        Assert.False(plain.Succeeded, plain.Output);
    }

    /// <summary>A private authority and a server certificate for 127.0.0.1 signed by it, as PEM files.</summary>
    private static (string Ca, string Cert, string Key) WriteCertificates(TempFolder folder)
    {
        // One clock reading: the server certificate may not outlive its issuer, even by the second between two readings.
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EmoFarm test authority", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddMinutes(-5), now.AddMinutes(50), RandomNumberGenerator.GetBytes(8));

        var (caPath, certPath, keyPath) = (folder.File("ca.pem"), folder.File("tls.crt"), folder.File("tls.key"));
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        File.WriteAllText(certPath, server.ExportCertificatePem());
        File.WriteAllText(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return (caPath, certPath, keyPath);
    }
}
