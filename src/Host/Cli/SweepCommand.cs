using System.CommandLine;
using Conduit.Host.Jobs;
using Conduit.Host.Server;
using Conduit.Host.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Cli;

/// <summary>
/// <c>conduit sweep FILE</c>: a hyperparameter sweep, each trial an ordinary job in a worker process of its own (or on
/// NATS workers), recorded in the experiment store. Run again after an interruption, it continues the same sweep.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var file = new Argument<FileInfo>("sweep") { Description = "The sweep file (YAML or JSON): job, method, metric, parameters, max_trials, early_stop." };
        var workers = new Option<int?>("--workers") { Description = "Trials that run at once, each in a worker process (default: the sweep's max_concurrent)." };
        var nats = new Option<string?>("--nats") { Description = "Queue trials on this NATS server's JetStream (nats://host:port) for conduit worker --nats, instead of local worker processes." };
        var store = new Option<string?>("--store") { Description = $"The experiment store (default: $CONDUIT_STORE, else {RunsCommands.DefaultStore}); trials' files go beside it." };
        var attempts = new Option<int>("--max-attempts") { Description = "Worker processes a trial may start in: a trial whose worker dies continues from its last checkpoint until then.", DefaultValueFactory = _ => 3 };
        var fresh = new Option<bool>("--new") { Description = "Start a new sweep even when an unfinished one of the same file is in the store (by default it continues)." };
        var json = GlobalOptions.Json();
        var sweep = new Command("sweep", "Search hyperparameters: grid, random or TPE trials run as jobs in worker processes, with ASHA or median early stopping.")
        {
            file, workers, nats, store, attempts, fresh, json,
        };
        sweep.SetAction(async (parse, cancellationToken) =>
        {
            SweepDefinition definition = Load(parse.GetValue(file)!.FullName);
            var options = new ServerOptions
            {
                StorePath = Path.GetFullPath(parse.GetValue(store) ?? Environment.GetEnvironmentVariable("CONDUIT_STORE") ?? RunsCommands.DefaultStore),
                // The sweep's own files: its job's data paths are already absolute.
                DataRoot = Path.GetPathRoot(Environment.CurrentDirectory)!,
                Workers = parse.GetValue(workers) is { } n ? (n > 0 ? n : throw new CommandException("--workers: expected at least 1", ExitCodes.Usage)) : definition.MaxConcurrent,
                NatsUrl = parse.GetValue(nats),
                MaxAttempts = parse.GetValue(attempts) is > 0 and var max ? max : throw new CommandException("--max-attempts: expected at least 1", ExitCodes.Usage),
                ContinueSweeps = false,
                Host = global.ToHostOptions(parse),
            };
            options.Host.Plugins.Terminal = false;
            HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
            builder.Logging.SetMinimumLevel(options.Host.MinimumLogLevel);
            builder.Services.AddConduit(options.Host);
            builder.Services.AddConduitJobs(options);
            using IHost host = builder.Build();
            Check(definition, host.Services);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var runner = host.Services.GetRequiredService<SweepRunner>();
            var sweeps = host.Services.GetRequiredService<SweepStore>();
            bool asJson = parse.GetValue(json);
            var progress = new SweepProgress(console, definition, asJson);
            runner.TrialChanged += progress.OnTrial;
            SweepRecord? unfinished = parse.GetValue(fresh) ? null
                : sweeps.All().FirstOrDefault(s => s.Status == "running" && s.Document.ToJsonString() == definition.Document.ToJsonString());
            string id = unfinished?.Id ?? runner.Start(definition).Id;
            progress.Started(id, sweeps.Trials(id).Count(t => t.Ended), options);
            Task<SweepRecord> run = (unfinished is not null ? runner.Continue(id) : runner.Running(id)) ?? Task.FromResult(sweeps.Find(id)!);
            SweepRecord ended;
            try
            {
                ended = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                throw new CommandException($"interrupted; the trials checkpointed. Run the same command again to continue the sweep", ExitCodes.Failure);
            }
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            string jobsRoot = host.Services.GetRequiredService<JobDocuments>().JobsRoot;
            IReadOnlyList<TrialRecord> trials = sweeps.Trials(ended.Id);
            IReadOnlyList<string> plots = SweepPlots.Save(Path.Combine(Path.GetDirectoryName(options.StorePath)!, "sweeps", ended.Id), definition, trials, sweeps.Reports(ended.Id));
            SweepResult result = SweepResult.Of(ended, trials, jobsRoot, plots);
            progress.Finished(result);
            return result.Status == "completed" ? ExitCodes.Success : ExitCodes.Failure;
        });
        return sweep;
    }

    private static SweepDefinition Load(string path)
    {
        try
        {
            return SweepLoader.Load(path);
        }
        catch (JobValidationException e)
        {
            throw new CommandException(e.Message, ExitCodes.Usage);
        }
    }

    // The first trial prepared here, as a worker would, before any trial starts.
    private static void Check(SweepDefinition definition, IServiceProvider services)
    {
        try
        {
            SweepCheck.Run(definition, services.GetRequiredService<JobDocuments>(), services.GetRequiredService<ConduitHost>(), prepare: true);
        }
        catch (JobValidationException e)
        {
            throw new CommandException(e.Message, ExitCodes.Usage);
        }
    }
}
