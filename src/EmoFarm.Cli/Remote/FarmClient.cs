using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using EmoFarm.Api.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EmoFarm.Cli.Remote;

/// <summary>The options that reach a farm (address, credential, certificate authority) and the gRPC clients they make.</summary>
internal sealed class FarmClient
{
    public readonly Option<string> Server = new("--server")
    {
        Description = "Orchestrator address, http:// or https:// (default: $EMOFARM_SERVER or http://127.0.0.1:8080)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EMOFARM_SERVER") ?? "http://127.0.0.1:8080",
        Recursive = true,
    };

    public readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key sent as x-api-key (default: $EMOFARM_API_KEY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EMOFARM_API_KEY"),
        Recursive = true,
    };

    public readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token from your identity provider (default: $EMOFARM_TOKEN)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EMOFARM_TOKEN"),
        Recursive = true,
    };

    public readonly Option<FileInfo?> CaCert = new("--ca-cert")
    {
        Description = "PEM certificate of the authority that signed the server's TLS certificate, when it is not a public one (default: $EMOFARM_CA_CERT)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EMOFARM_CA_CERT") is { Length: > 0 } path ? new FileInfo(path) : null,
        Recursive = true,
    };

    public IEnumerable<Option> Options => [Server, ApiKey, Token, CaCert];

    public RenderService.RenderServiceClient Connect(ParseResult result) => new(Invoker(result));

    public TenantService.TenantServiceClient Tenants(ParseResult result) => new(Invoker(result));

    private CallInvoker Invoker(ParseResult result)
    {
        var options = new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 };
        if (result.GetValue(CaCert) is { } ca)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(ca.FullName);
            options.HttpHandler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authority, certificate, errors) },
            };
        }
        var apiKey = result.GetValue(ApiKey);
        var token = result.GetValue(Token);
        return GrpcChannel.ForAddress(result.GetValue(Server)!, options).Intercept(metadata =>
        {
            if (!string.IsNullOrEmpty(apiKey))
                metadata.Add("x-api-key", apiKey);
            else if (!string.IsNullOrEmpty(token))
                metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
    }

    // The server's chain must end at the given authority; the host name is still checked.
    private static bool TrustedBy(X509Certificate2 authority, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }
}
