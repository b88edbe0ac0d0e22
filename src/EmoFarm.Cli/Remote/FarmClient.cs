using System.CommandLine;
using EmoFarm.Api.V1;
using Grpc.Net.Client;

namespace EmoFarm.Cli.Remote;

/// <summary>The `--server` option and the gRPC client it selects.</summary>
internal sealed class FarmClient
{
    public readonly Option<string> Server = new("--server")
    {
        Description = "Orchestrator address (default: $EMOFARM_SERVER or http://127.0.0.1:8080)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EMOFARM_SERVER") ?? "http://127.0.0.1:8080",
        Recursive = true,
    };

    public RenderService.RenderServiceClient Connect(ParseResult result) =>
        new(GrpcChannel.ForAddress(result.GetValue(Server)!, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 }));
}
