using System.CommandLine;

namespace Conduit.Host.Cli;

/// <summary>Runs a command's body inside a started <see cref="ConduitHost"/>, disposed (bus drained) afterwards.</summary>
internal static class HostCommand
{
    public static void SetHostAction(this Command command, GlobalOptions global, Func<ParseResult, ConduitHost, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using ConduitHost host = ConduitHost.Start(global.ToHostOptions(parse));
            return await body(parse, host, cancellationToken).ConfigureAwait(false);
        });
}
