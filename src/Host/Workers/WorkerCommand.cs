using System.CommandLine;
using Conduit.Host.Cli;

namespace Conduit.Host.Workers;

/// <summary>
/// <c>conduit worker --job FILE</c>: runs one job for a server in a process of its own, so that a native crash or an
/// out-of-memory ends this process only and the job can be retried from its last checkpoint. Events go to standard
/// output as JSON lines (<see cref="WorkerOutput"/>); <c>cancel</c> or <c>interrupt</c> on standard input, or its end
/// (the server went away), stops the job at a checkpoint.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(GlobalOptions global)
    {
        var job = new Option<FileInfo>("--job") { Description = "The job file to run (the server writes it).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the job's last checkpoint, when it has one." };
        var worker = new Command("worker", "Run one job for conduit serve in this process, reporting its events as JSON lines (started by the server).")
        {
            job, resume,
        };
        worker.SetAction(async (parse, cancellationToken) =>
        {
            ConduitHostOptions options = global.ToHostOptions(parse);
            options.Plugins.Terminal = false;
            var output = new WorkerOutput(Console.Out);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bool interrupted = false;
            // A reader of its own: Console.In blocks, and the job must not wait on it.
            _ = Task.Run(() =>
            {
                string? command;
                while ((command = Console.In.ReadLine()) is not null && command.Trim() != "cancel")
                {
                    interrupted |= command.Trim() == "interrupt";
                    if (interrupted)
                    {
                        break;
                    }
                }
                interrupted |= command is null;
                stop.Cancel();
            }, CancellationToken.None);
            await using ConduitHost host = ConduitHost.Start(options);
            using var heartbeat = new WorkerHeartbeat(output, TimeSpan.FromSeconds(5));
            WorkerEnd end = await WorkerJob.RunAsync(host, parse.GetValue(job)!.FullName, parse.GetValue(resume), output,
                () => interrupted || cancellationToken.IsCancellationRequested, stop.Token).ConfigureAwait(false);
            await host.Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
            output.Send("end", end);
            return ExitCodes.Success;
        });
        return worker;
    }
}
