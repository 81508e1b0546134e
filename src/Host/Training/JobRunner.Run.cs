using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Inference;
using Conduit.Host.Jobs;
using Conduit.Host.Tracking;
using Conduit.Messages;

namespace Conduit.Host.Training;

// Running a prepared job: its stage, its loggers, its export.
public sealed partial class JobRunner
{
    /// <summary>The stages <see cref="RunAsync"/> runs.</summary>
    public static string[] Stages { get; } = ["fit", "validate", "test"];

    /// <summary>
    /// Runs <paramref name="stage"/>: <c>fit</c> trains (and tests on the test split when there is one, in the same run);
    /// <c>validate</c> and <c>test</c> evaluate the resumed checkpoint's weights. The bus is drained before returning.
    /// </summary>
    public async Task<RunOutcome> RunAsync(PreparedRun prepared, string stage = "fit", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ExperimentLoggerSession loggers = ExperimentLoggerSession.Start(host.Services, prepared.Loggers, prepared.Run.RunId);
        var trainer = new Trainer(prepared.Run with { CheckpointBarrier = loggers.Flush }, prepared.Session, host.Services);
        RunOutcome outcome;
        try
        {
            outcome = stage switch
            {
                // Off the main thread: a loop that never awaits stays on it, and libtorch's per-step frees and
                // allocations there made an epoch up to 40% slower in some runs (glibc's main arena giving the top of
                // its heap back and faulting it in again, it seems); on a pool thread it never was.
                "fit" => await Task.Run(() => trainer.FitAsync(prepared.Train, prepared.Validation, prepared.Test, prepared.Resume?.Metadata, cancellationToken), CancellationToken.None).ConfigureAwait(false),
                "validate" => await trainer.ValidateAsync(prepared.Validation ?? throw new JobValidationException(prepared.Run.Job.Source, ["--stage validate: the job has no validation data; set data.split.validation or data.validation_path"]), cancellationToken).ConfigureAwait(false),
                "test" => await trainer.TestAsync(prepared.Test ?? throw new JobValidationException(prepared.Run.Job.Source, ["--stage test: the job has no test data; set data.split.test or data.test_path"]), cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException($"--stage: '{stage}' is not allowed; expected one of {string.Join(", ", Stages)}", nameof(stage)),
            };
            // Drained whatever the token says: a canceled run still reports its outcome and checkpoint.
            await host.Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
            if (stage == "fit" && prepared.Export is { } export && outcome.Status is RunStatus.Completed or RunStatus.Stopped)
            {
                outcome = Export(prepared, export, outcome);
            }
        }
        finally
        {
            // Whatever happened, every logger records what it was sent, the run's end included.
            await loggers.CompleteAsync().ConfigureAwait(false);
        }
        return outcome;
    }

    // The trained model stays whatever happens here: a failed export is reported beside a completed run.
    private RunOutcome Export(PreparedRun prepared, ExportSettings export, RunOutcome outcome)
    {
        try
        {
            CheckpointStore.Found best = CheckpointStore.Resolve("best", prepared.Run.CheckpointDirectory!);
            var check = new InferenceOptions { Settings = prepared.Run.Job.Configuration.GetSection("inference") };
            return outcome with { Export = ModelExport.Export(host, best.Path, export.Format, export.Path, check) };
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or ArgumentException or IOException or CheckpointCorruptException or UnauthorizedAccessException)
        {
            return outcome with { ExportError = $"export: {e.Message}" };
        }
    }
}
