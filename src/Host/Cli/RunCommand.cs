using System.CommandLine;
using System.Globalization;
using Conduit.Host.Jobs;
using Conduit.Host.Training;
using Conduit.Messages;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary><c>conduit run JOB</c>: validates the job, trains, tests, and reports the final metrics.</summary>
internal static class RunCommand
{
    /// <summary>The final report of <c>conduit run --json</c>.</summary>
    public sealed record RunReport(string RunId, string Job, RunStatus Status, string? Reason, int Epochs, long Steps, string Device, string? Checkpoint, IReadOnlyDictionary<string, double> Metrics, double DataWaitFraction)
    {
        /// <summary>The exported model (the job's <c>export</c> key), if any.</summary>
        public string? ExportedModel { get; init; }

        /// <summary>The export's largest relative difference from the checkpoint's outputs.</summary>
        public double? ExportDifference { get; init; }
    }

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var job = new Argument<FileInfo>("job") { Description = "The job file (JSON or YAML), e.g. samples/digits.job.json." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a job setting, e.g. --set trainer.max_epochs=3 (repeatable; environment variables CONDUIT_trainer__max_epochs=3 work too).",
            AllowMultipleArgumentsPerToken = false,
        };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint: last, best or a path." };
        var stage = new Option<string>("--stage")
        {
            Description = "fit (default: train with validation, then test), or validate / test the weights of --resume.",
            DefaultValueFactory = _ => "fit",
        };
        stage.AcceptOnlyFromAmong(JobRunner.Stages);
        var json = GlobalOptions.Json();
        var run = new Command("run", "Train a model as a job file describes: fit with validation, then test.") { job, set, resume, stage, json };
        run.SetAction(async (parse, cancellationToken) =>
        {
            // Load and validate the job before starting the host: a bad job costs nothing.
            JobDefinition definition = Load(parse.GetValue(job)!, parse.GetValue(set) ?? []);
            string stageName = parse.GetValue(stage)!;
            // Trained weights come from a checkpoint, or from a state dict the model starts from.
            if (stageName != "fit" && parse.GetValue(resume) is null && definition.Model["init_from"] is null)
            {
                throw new CommandException($"--stage {stageName} evaluates trained weights; add --resume last, best or a checkpoint path (or set model.init_from)", ExitCodes.Usage);
            }
            ConduitHostOptions options = global.ToHostOptions(parse);
            options.Configuration = definition.Configuration;
            bool asJson = parse.GetValue(json);
            if (asJson)
            {
                // Standard output carries the JSON alone; terminal feedback would interleave with it.
                options.Plugins.Terminal = false;
            }
            await using ConduitHost host = ConduitHost.Start(options);
            var runner = new JobRunner(host);
            PreparedRun prepared;
            try
            {
                prepared = runner.Prepare(definition, parse.GetValue(resume));
            }
            catch (JobValidationException e)
            {
                throw new CommandException(e.Message, ExitCodes.Usage);
            }
            using (prepared)
            {
                RunOutcome outcome;
                try
                {
                    outcome = await runner.RunAsync(prepared, stageName, cancellationToken).ConfigureAwait(false);
                }
                catch (JobValidationException e)
                {
                    throw new CommandException(e.Message, ExitCodes.Usage);
                }
                catch (TrainingFailedException e)
                {
                    await host.Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
                    throw new CommandException($"training failed: {e.Message}{(e.Outcome.LastCheckpoint is { } c ? $" (last checkpoint: {c})" : "")}");
                }
                var report = new RunReport(outcome.RunId, definition.Name, outcome.Status, outcome.Reason, outcome.Position.Epoch, outcome.Position.GlobalStep,
                    prepared.Device, outcome.LastCheckpoint, outcome.Metrics, Math.Round(outcome.DataWaitFraction, 4))
                {
                    ExportedModel = outcome.Export?.Path,
                    ExportDifference = outcome.Export?.Check.MaxRelativeDifference,
                };
                if (asJson)
                {
                    console.WriteJson(report);
                }
                else if (!host.Plugins.Loaded.Any(p => p.Manifest?.Terminal == true))
                {
                    // Without a terminal plugin (the console logger), still show the outcome.
                    WriteSummary(console.Ansi, report);
                }
                if (outcome.Export is { } exported && !asJson)
                {
                    console.Ansi.MarkupLine(Markup.Escape($"Exported {exported.Format} model to {Path.GetRelativePath(Environment.CurrentDirectory, exported.Path)} from {Path.GetFileName(exported.Checkpoint)}; {exported.Check}"));
                }
                if (outcome.ExportError is { } error)
                {
                    // Training and checkpoints stand; the export alone failed.
                    throw new CommandException($"{definition.Name}: {outcome.Status.ToString().ToLowerInvariant()}, but {error}");
                }
                return outcome.Status is RunStatus.Completed or RunStatus.Stopped ? ExitCodes.Success : ExitCodes.Failure;
            }
        });
        return run;
    }

    private static JobDefinition Load(FileInfo file, string[] overrides)
    {
        try
        {
            return JobLoader.Load(file.FullName, overrides);
        }
        catch (JobValidationException e)
        {
            throw new CommandException(e.Message.Replace(file.FullName, file.ToString(), StringComparison.Ordinal), ExitCodes.Usage);
        }
    }

    private static void WriteSummary(IAnsiConsole ansi, RunReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Metric", "Value");
        table.Columns[1].RightAligned();
        foreach (var (name, value) in report.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(name), value.ToString("F4", CultureInfo.InvariantCulture));
        }
        ansi.Write(table);
        ansi.MarkupLine(Markup.Escape($"{report.Job}: {report.Status.ToString().ToLowerInvariant()} after {report.Epochs} epochs, {report.Steps} steps on {report.Device}{(report.Reason is null ? "" : $" ({report.Reason})")}; waited for data {report.DataWaitFraction:P1} of the training loop"));
    }
}
