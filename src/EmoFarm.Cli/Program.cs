using System.CommandLine;
using EmoFarm.Cli.Embedded;
using EmoFarm.Cli.Remote;
using EmoFarm.Cli.Tools;

var client = new FarmClient();
var root = new RootCommand("EmoFarm: audio-driven portrait video, on this machine or on a render farm")
{
    RenderCommand.Create(),
    ModelCommands.Create(),
    SeamsCommand.Create(),
    TenantCommands.Create(client),
};
foreach (var option in client.Options)
    root.Options.Add(option);
foreach (var command in RemoteCommands.Create(client))
    root.Subcommands.Add(command);
// Remote refusals are explained by RpcOutput, not dumped as a stack trace by the parser's own handler.
return await RpcOutput.ExplainAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
