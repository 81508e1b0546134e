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
        var job = new Option<FileInfo>("--job") { Description = "Run this one job file in this process (conduit serve starts workers so), reporting its events as JSON lines." };
        var resume = new Option<bool>("--resume") { Description = "With --job: continue from the job's last checkpoint, when it has one." };
        var nats = new Option<string?>("--nats") { Description = "Take jobs from the JetStream queue of a conduit serve --nats on this NATS server (nats://host:port), each in a process of its own." };
        var slots = new Option<int>("--slots") { Description = "With --nats: jobs run at once.", DefaultValueFactory = _ => 1 };
        var store = new Option<string?>("--store")
        {
            Description = "With --nats: keep jobs' files beside this store (and record their runs in it) instead of the paths the server names; "
                + "checkpoints and models travel through NATS, so the worker needs no file system shared with the server.",
        };
        var worker = new Command("worker", "Run jobs for conduit serve: one job file (--job), or jobs pulled from NATS (--nats) on any machine.")
        {
            job, resume, nats, slots, store,
        };
        worker.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(nats) is { } url)
            {
                return await Scale.NatsWorkerCommand.RunAsync(global, parse, url, parse.GetValue(slots), parse.GetValue(store), cancellationToken).ConfigureAwait(false);
            }
            if (parse.GetValue(job) is null)
            {
                throw new CommandException("worker: give --job FILE (one job) or --nats URL (jobs from a queue)", ExitCodes.Usage);
            }
            ConduitHostOptions options = global.ToHostOptions(parse);
            options.Plugins.Terminal = false;
            var output = new WorkerOutput(Console.Out);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Written by the reader below, read by the job when it stops: cancel (a client) or anything else (the server leaving).
            bool interrupted = false;
            // A reader of its own: Console.In blocks, and the job must not wait on it.
            _ = Task.Run(() =>
            {
                string? command;
                do
                {
                    command = Console.In.ReadLine()?.Trim();
                }
                while (command is not (null or "cancel" or "interrupt"));
                Volatile.Write(ref interrupted, command != "cancel");
                stop.Cancel();
            }, CancellationToken.None);
            await using ConduitHost host = ConduitHost.Start(options);
            using var heartbeat = new WorkerHeartbeat(output, TimeSpan.FromSeconds(5));
            WorkerEnd end = await WorkerJob.RunAsync(host, parse.GetValue(job)!.FullName, parse.GetValue(resume), output,
                () => Volatile.Read(ref interrupted) || cancellationToken.IsCancellationRequested, stop.Token).ConfigureAwait(false);
            await host.Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
            output.Send("end", end);
            return ExitCodes.Success;
        });
        return worker;
    }
}
