using Conduit.Host.Jobs;
using Conduit.Host.Server;
using Conduit.Host.Training;
using Conduit.Messages;

namespace Conduit.Host.Workers;

/// <summary>
/// One job in a worker process, through the same job runner as <c>conduit run</c>: its events relayed to the server
/// as they happen, then how it ended. A canceled or interrupted job checkpoints first.
/// </summary>
internal static class WorkerJob
{
    /// <summary>Runs the job in <paramref name="jobFile"/>, continuing from its last checkpoint when <paramref name="resume"/> and there is one.</summary>
    /// <param name="stop">Signalled to stop at a checkpoint; <paramref name="interrupted"/> then says whether the server is going away (else a client canceled).</param>
    public static async Task<WorkerEnd> RunAsync(ConduitHost host, string jobFile, bool resume, WorkerOutput output, Func<bool> interrupted, CancellationToken stop)
    {
        using var relay = new JobEventRelay(host.Services);
        string? runId = null;
        try
        {
            JobDefinition definition = JobLoader.Load(jobFile);
            var runner = new JobRunner(host);
            bool resumed = resume && JobRunner.HasCheckpoint(definition);
            using PreparedRun prepared = runner.Prepare(definition, resumed ? "last" : null);
            runId = prepared.Run.RunId;
            relay.Register(runId, output.Send);
            output.Send("started", new { RunId = runId, prepared.Device, Resumed = resumed, Environment.ProcessId });
            RunOutcome outcome = await runner.RunAsync(prepared, "fit", stop).ConfigureAwait(false);
            string status = outcome.Status switch
            {
                RunStatus.Completed or RunStatus.Stopped when outcome.ExportError is null => "completed",
                RunStatus.Canceled => interrupted() ? "interrupted" : "canceled",
                _ => "failed",
            };
            string? reason = status switch
            {
                "interrupted" => "the server stopped; resume it with POST /api/jobs/{id}/resume",
                "failed" => outcome.ExportError ?? outcome.Reason,
                _ => outcome.Reason,
            };
            return new WorkerEnd(status, reason, outcome.Metrics, outcome.Export?.Path);
        }
        catch (JobValidationException e)
        {
            return new WorkerEnd("failed", string.Join("; ", e.Problems), null, null);
        }
        catch (TrainingFailedException e)
        {
            // A diverged run diverges again from the same checkpoint: not worth another attempt.
            return new WorkerEnd("failed", e.Message, e.Outcome.Metrics, null);
        }
        finally
        {
            if (runId is not null)
            {
                relay.Unregister(runId);
            }
        }
    }
}
