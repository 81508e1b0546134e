using System.CommandLine;
using Conduit.Host.Cli;
using Conduit.Host.Workers;
using NATS.Client.Core;

namespace Conduit.Host.Scale;

/// <summary><c>conduit worker --nats URL [--slots N] [--store FILE]</c>: a worker for a server on another machine (or this one).</summary>
internal static class NatsWorkerCommand
{
    public static async Task<int> RunAsync(GlobalOptions global, ParseResult parse, string url, int slots, string? store, CancellationToken cancellationToken)
    {
        if (slots < 1)
        {
            throw new CommandException($"--slots: {slots} is not allowed; expected 1 or more", ExitCodes.Usage);
        }
        // Each job gets a worker process of its own, loading the plugins this worker was given.
        ConduitHostOptions options = global.ToHostOptions(parse);
        var launch = new WorkerLaunch(options.Plugins.Roots, options.Plugins.Lock?.Path, options.Limits, slots);
        await using var nats = new NatsConnection(new NatsOpts { Url = url, Name = $"conduit-worker-{Environment.ProcessId}" });
        try
        {
            await nats.ConnectAsync().ConfigureAwait(false);
        }
        catch (NatsException e)
        {
            throw new CommandException($"--nats: cannot reach {url}: {e.Message}");
        }
        await new NatsWorker(nats, launch, new NatsWorkFolder(store), slots).RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
